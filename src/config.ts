/** Environment, validated once at the edge. */
import { z } from 'zod';

const MB = 1024 * 1024;

export const Config = z.object({
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PSEUDONYM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * MB),
  MAX_UNZIPPED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * MB),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  /** USD per million prompt / completion tokens, for models the price table does not know. */
  LLM_PRICE_INPUT: z.coerce.number().nonnegative().optional(),
  LLM_PRICE_OUTPUT: z.coerce.number().nonnegative().optional(),
});
export type Config = z.infer<typeof Config>;

/** Reads the config from an env record, ignoring empty strings: `loadConfig(process.env)`. */
export function loadConfig(env: Record<string, unknown>): Config {
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) if (v !== '' && v !== undefined) cleaned[k] = v;
  const parsed = Config.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}
