// @snn/datasets is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/datasets is ESM-only: load it with `import … from '@snn/datasets'`, or with `await import('@snn/datasets')` from CommonJS; require() is not supported.");
