// @snn/backend-wasm is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/backend-wasm is ESM-only: load it with `import … from '@snn/backend-wasm'`, or with `await import('@snn/backend-wasm')` from CommonJS; require() is not supported.");
