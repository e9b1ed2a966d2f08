import { defineConfig } from 'drizzle-kit';

const schema = './schema/index.ts';
const out = './schema/migrations';
const url = process.env.DATABASE_URL;

/**
 * `npx drizzle-kit generate` writes migrations from schema/. With DATABASE_URL set (`libsql://…` for Turso, with
 * DATABASE_AUTH_TOKEN; or a `file:` URL), `npx drizzle-kit migrate` applies them to that database.
 */
export default url
  ? defineConfig({ dialect: 'turso', schema, out, dbCredentials: { url, authToken: process.env.DATABASE_AUTH_TOKEN } })
  : defineConfig({ dialect: 'sqlite', schema, out });
