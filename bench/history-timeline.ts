/** Prints Temporal history events one per line with the time since the previous one; activities and local-activity markers by their type. */
import proto from '@temporalio/proto';
import { protoTimeToIso } from '../temporal/proto';

type Event = proto.temporal.api.history.v1.IHistoryEvent;

export function printTimeline(events: Event[]): void {
  let previous: number | null = null;
  for (const e of events) {
    const at = new Date(protoTimeToIso(e.eventTime)!).getTime();
    const type = proto.temporal.api.enums.v1.EventType[e.eventType ?? 0].replace('EVENT_TYPE_', '');
    let detail = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
    const marker = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
    if (marker) {
      try {
        detail = (JSON.parse(Buffer.from(marker).toString()) as { activity_type?: string }).activity_type ?? '';
      } catch {
        // A marker that is not a local activity's (a patch).
      }
    }
    console.log(`${previous === null ? '      ' : `+${String(at - previous).padStart(4)}ms`}  ${type} ${detail}`);
    previous = at;
  }
}
