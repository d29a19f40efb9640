/** Small decoders for raw Temporal protobuf values the API reads (histories, visibility). */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

export const protoTimeToIso = (t: Timestamp): string | null =>
  t ? new Date(Number(t.seconds ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString() : null;

export function decodePayload(payload: temporal.api.common.v1.IPayload): unknown {
  return defaultPayloadConverter.fromPayload(payload as never);
}

/** A payload list → its single value, or the array of values. */
export function decodePayloads(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown {
  const list = payloads?.payloads ?? [];
  try {
    const values = list.map(decodePayload);
    return values.length === 1 ? values[0] : values;
  } catch {
    return '[undecodable payload]';
  }
}
