import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: ['tests/workers/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
    ],
  },
});
