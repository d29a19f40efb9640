/**
 * OpenAI's `POST /v1/audio/transcriptions` for the fake server (openai-server.ts): a multipart
 * form (`file`, `model`, optional `language`, `prompt`, `response_format`, `temperature`) parsed
 * as the platform parses it, refusals in OpenAI's words and shapes (a missing file or model, a
 * format it does not take, bytes that are no audio), and answers in each `response_format`:
 * `json` (`{text, usage}`), `text`, `verbose_json` (`{task, language, duration, text, segments}`),
 * `srt` and `vtt`. What is "heard" is scripted per test.
 */
import type { ProviderError } from './openai-checks';

/** OpenAI's own list, as its 400 names it. */
export const TRANSCRIPTION_FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];

export interface TranscriptionRequest {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  model: string;
  language?: string;
  prompt?: string;
  responseFormat: string;
}

/** What the fake hears in a file, or a scripted failure (e.g. `{status: 500}`). */
export type TranscriptionAnswer = { text: string; durationSec?: number } | { status: number; error?: string };
export type Transcriber = (req: TranscriptionRequest) => TranscriptionAnswer | Promise<TranscriptionAnswer>;

const invalid = (message: string, param: string | null, code: string | null = null): ProviderError => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

/** The container by its magic bytes, as a decoder would see it (never by the name). */
function looksLikeAudio(bytes: Buffer): boolean {
  const at = (offset: number, text: string) => bytes.subarray(offset, offset + text.length).toString('latin1') === text;
  if (at(0, 'RIFF') && at(8, 'WAVE')) return true;
  if (at(0, 'OggS') || at(0, 'fLaC') || at(0, 'ID3') || at(4, 'ftyp')) return true;
  if (bytes.length > 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) return true; // EBML: WebM / Matroska
  return bytes.length > 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0; // an MPEG audio frame
}

/** Parses and checks the form: the request, or OpenAI's refusal. */
export async function readTranscriptionForm(raw: Buffer, contentType: string | undefined): Promise<TranscriptionRequest | ProviderError> {
  if (!contentType?.startsWith('multipart/form-data')) return invalid("Invalid Content-Type header (application/json), expected multipart/form-data. (HINT: If you're using curl, you can pass -F 'key=value' to send form data.)", null);
  let form: FormData;
  try {
    form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  } catch {
    return invalid('Could not parse multipart form', null);
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) return invalid('1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)', 'file');
  const model = form.get('model');
  if (typeof model !== 'string' || !model) return invalid('you must provide a model parameter', 'model');
  const fileName = (file as File).name ?? 'file';
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  const bytes = Buffer.from(await file.arrayBuffer());
  if (!TRANSCRIPTION_FORMATS.includes(ext)) return invalid(`Invalid file format. Supported formats: ${JSON.stringify(TRANSCRIPTION_FORMATS).replace(/"/g, "'").replace(/,/g, ', ')}`, 'file', 'invalid_value');
  if (!looksLikeAudio(bytes)) return invalid('Audio file might be corrupted or unsupported', 'file', 'invalid_value');
  const responseFormat = (form.get('response_format') as string | null) ?? 'json';
  if (!RESPONSE_FORMATS.includes(responseFormat)) return invalid(`'${responseFormat}' is not one of ${JSON.stringify(RESPONSE_FORMATS)} - 'response_format'`, 'response_format', 'invalid_value');
  const language = (form.get('language') as string | null) ?? undefined;
  if (language !== undefined && !/^[a-z]{2,3}$/.test(language)) return invalid(`Invalid language '${language}'. Language parameter must be specified in ISO-639-1 format.`, 'language', 'invalid_value');
  return { fileName, contentType: file.type, bytes, model, language, prompt: (form.get('prompt') as string | null) ?? undefined, responseFormat };
}

const timestamp = (sec: number, sep: ',' | '.') => {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
};

/** The answer body in the asked-for format: `[contentType, body]`. */
export function transcriptionBody(req: TranscriptionRequest, text: string, durationSec: number): [string, string] {
  const end = Math.max(0.5, durationSec);
  switch (req.responseFormat) {
    case 'text':
      return ['text/plain; charset=utf-8', `${text}\n`];
    case 'srt':
      return ['text/plain; charset=utf-8', `1\n${timestamp(0, ',')} --> ${timestamp(end, ',')}\n${text}\n\n`];
    case 'vtt':
      return ['text/plain; charset=utf-8', `WEBVTT\n\n${timestamp(0, '.')} --> ${timestamp(end, '.')}\n${text}\n\n`];
    case 'verbose_json':
      return [
        'application/json',
        JSON.stringify({
          task: 'transcribe',
          language: req.language === 'en' || !req.language ? 'english' : req.language,
          duration: end,
          text,
          segments: [{ id: 0, seek: 0, start: 0, end, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 }],
          usage: { type: 'duration', seconds: Math.ceil(end) },
        }),
      ];
    default:
      return ['application/json', JSON.stringify({ text, usage: { type: 'duration', seconds: Math.ceil(end) } })];
  }
}
