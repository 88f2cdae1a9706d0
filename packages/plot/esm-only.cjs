// @snn/plot is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/plot is ESM-only: load it with `import … from '@snn/plot'`, or with `await import('@snn/plot')` from CommonJS; require() is not supported.");
