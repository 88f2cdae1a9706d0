// @snn/tensor is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/tensor is ESM-only: load it with `import … from '@snn/tensor'`, or with `await import('@snn/tensor')` from CommonJS; require() is not supported.");
