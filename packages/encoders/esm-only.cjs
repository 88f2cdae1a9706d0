// @snn/encoders is an ES module package: require() of it cannot work (see README, "ES modules only").
throw new Error("@snn/encoders is ESM-only: load it with `import … from '@snn/encoders'`, or with `await import('@snn/encoders')` from CommonJS; require() is not supported.");
