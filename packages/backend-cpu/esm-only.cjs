// @snn/backend-cpu is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/backend-cpu is ESM-only: load it with `import … from '@snn/backend-cpu'`, or with `await import('@snn/backend-cpu')` from CommonJS; require() is not supported.");
