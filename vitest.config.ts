import { join } from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(join(import.meta.dirname, 'schema/migrations'));
  return {
    test: {
      projects: [
        {
          test: {
            name: 'node',
            include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
            exclude: ['tests/workers/**', 'node_modules/**'],
            environment: 'node',
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          plugins: [
            cloudflareTest({
              main: './src/worker.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'workers-test-admin-token-0123',
                  PSEUDONYM_SECRET: 'workers-test-pseudonym-secret-0123',
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['tests/workers/**/*.test.ts'],
            setupFiles: ['tests/workers/apply-migrations.ts'],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
