// snn-ts is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("snn-ts is ESM-only: load it with `import … from 'snn-ts'`, or with `await import('snn-ts')` from CommonJS; require() is not supported.");
