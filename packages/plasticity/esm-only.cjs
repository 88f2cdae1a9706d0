// @snn/plasticity is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/plasticity is ESM-only: load it with `import … from '@snn/plasticity'`, or with `await import('@snn/plasticity')` from CommonJS; require() is not supported.");
