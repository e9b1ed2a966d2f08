/**
 * A large WhatsApp export is read in segments and written chunk by chunk. The stored result must be what
 * the whole-file path stores: the same export re-encoded as UTF-16 (which is decoded whole and parsed by
 * parseWhatsApp) is the independent reference.
 */
import { zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { generateWhatsAppExport } from '../../scripts/bench/gen-whatsapp';
import { noTasks } from '../../src/context';
import { newConsultation, testEnv } from '../helpers';

type Env = Awaited<ReturnType<typeof testEnv>>;

async function upload(t: Env, slug: string, body: Uint8Array<ArrayBuffer>, filename: string) {
  const res = await t.request(`/api/consultations/${slug}/uploads?filename=${encodeURIComponent(filename)}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as { upload: Record<string, unknown> } };
}

/** Stored items of a consultation in order, pseudonym labels and ids neutralised (they are salted per consultation). */
async function storedItems(t: Env, slug: string) {
  const rs = await t.client.execute({
    sql: 'select i.text, i.language, i.at, i.context, i.participant is null as anonymous from items i join consultations c on c.id = i.consultation_id where c.slug = ? order by i.id',
    args: [slug],
  });
  return rs.rows.map((r) => [String(r.text).replace(/\bP-[0-9A-Z]{6}\b/g, 'P'), r.language, r.at, r.context, r.anonymous]);
}

function utf16(text: string): Uint8Array<ArrayBuffer> {
  return copy(Buffer.from(`\ufeff${text}`, 'utf16le'));
}

function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

describe('large WhatsApp uploads (segments of the file, chunks of items)', () => {
  test.each(['android-en', 'ios-ar', 'ios-ja-era'] as const)('%s: streamed .txt, zipped .txt and the whole-file reference store the same', async (shape) => {
    const { text } = generateWhatsAppExport({ messages: 6_000, shape, seed: 11 });
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(1_500_000);
    // No tagging after the uploads: this test is about what is stored.
    const t = await testEnv({}, { tasks: noTasks });
    const streamed = await newConsultation(t);
    const zipped = await newConsultation(t);
    const whole = await newConsultation(t);
    const a = await upload(t, streamed, bytes, 'WhatsApp Chat with Strategy.txt');
    const b = await upload(t, zipped, copy(zipSync({ '_chat.txt': bytes })), 'WhatsApp Chat with Strategy.zip');
    const c = await upload(t, whole, utf16(text), 'WhatsApp Chat with Strategy.txt');
    expect([a, b, c].map((r) => (r.status === 201 ? 201 : JSON.stringify(r.body)))).toEqual([201, 201, 201]);
    const shapeOf = (u: Record<string, unknown>) => ({ ...u, id: undefined });
    expect(shapeOf(a.body.upload)).toEqual(shapeOf(c.body.upload));
    expect(shapeOf(b.body.upload)).toEqual(shapeOf(c.body.upload));
    expect(a.body.upload.items).toBeGreaterThan(4_000);
    const reference = await storedItems(t, whole);
    expect(await storedItems(t, streamed)).toEqual(reference);
    expect(await storedItems(t, zipped)).toEqual(reference);
  });
});
