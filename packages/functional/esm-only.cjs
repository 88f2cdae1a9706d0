// @snn/functional is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/functional is ESM-only: load it with `import … from '@snn/functional'`, or with `await import('@snn/functional')` from CommonJS; require() is not supported.");
