// @snn/surrogate is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/surrogate is ESM-only: load it with `import … from '@snn/surrogate'`, or with `await import('@snn/surrogate')` from CommonJS; require() is not supported.");
