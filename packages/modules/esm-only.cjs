// @snn/modules is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/modules is ESM-only: load it with `import … from '@snn/modules'`, or with `await import('@snn/modules')` from CommonJS; require() is not supported.");
