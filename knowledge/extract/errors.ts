export type ExtractionErrorCode = 'unsupported_type' | 'encrypted' | 'corrupt' | 'empty' | 'too_large';

/** Why a file could not be read, with a message a non-technical uploader can act on. */
export class ExtractionError extends Error {
  readonly code: ExtractionErrorCode;

  constructor(code: ExtractionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractionError';
    this.code = code;
  }
}

export function corrupt(kind: string, cause: unknown): ExtractionError {
  return new ExtractionError(
    'corrupt',
    `This ${kind} could not be read: it may be damaged or not really a ${kind}. Open it on your computer, save a fresh copy and upload that.`,
    { cause },
  );
}
