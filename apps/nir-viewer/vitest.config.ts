import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

const shared = sharedTestConfig('nir-viewer');

// The page's modules (web/) and its end-to-end test in Chromium (e2e/).
export default defineConfig({ ...shared, test: { ...shared.test, include: ['web/**/*.test.ts', 'e2e/**/*.test.ts'] } });
