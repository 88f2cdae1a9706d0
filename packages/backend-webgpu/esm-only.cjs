// @snn/backend-webgpu is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/backend-webgpu is ESM-only: load it with `import … from '@snn/backend-webgpu'`, or with `await import('@snn/backend-webgpu')` from CommonJS; require() is not supported.");
