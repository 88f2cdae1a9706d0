// @snn/nir is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/nir is ESM-only: load it with `import … from '@snn/nir'`, or with `await import('@snn/nir')` from CommonJS; require() is not supported.");
