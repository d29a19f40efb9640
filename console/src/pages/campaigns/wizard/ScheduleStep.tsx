/**
 * When and how fast: on approval or at a local time in a chosen timezone, quiet hours kept in each
 * recipient's own timezone, a send rate per channel, and an A/B test when there are variants.
 */
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import { Checkbox, Field, Input, Select } from '../../../ui';
import { browserTimezone, CHANNEL_LABELS, type CampaignChannel } from '../types';
import type { StepProps } from './step';

const zones = () => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [browserTimezone()]);

export function ScheduleStep({ draft, setDraft }: StepProps) {
  const zone = draft.timezone ?? browserTimezone();
  const zoneOptions = useMemo(() => {
    const list = zones();
    return list.includes(zone) ? list : [zone, ...list];
  }, [zone]);
  const local = draft.sendAt ? DateTime.fromISO(draft.sendAt, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : '';
  // The zone shown is the one stored: a time picked here means that wall clock in that zone.
  const setLocal = (value: string, inZone = zone) => setDraft({ sendAt: value ? DateTime.fromISO(value, { zone: inZone }).toUTC().toISO() : null, timezone: inZone });
  const variants = draft.variants?.length ?? 0;
  const setRate = (ch: CampaignChannel, value: string) => {
    const next = { ...draft.ratePerSecond };
    if (value && Number(value) > 0) next[ch] = Number(value);
    else delete next[ch];
    setDraft({ ratePerSecond: next });
  };

  return (
    <div className="pg-col cp-form">
      <fieldset className="cp-fieldset">
        <legend>When</legend>
        <label className="checkbox">
          <input type="radio" name="when" checked={!draft.sendAt} onChange={() => setDraft({ sendAt: null })} />
          <span>As soon as it is approved</span>
        </label>
        <label className="checkbox">
          <input type="radio" name="when" checked={Boolean(draft.sendAt)} onChange={() => setLocal(DateTime.now().setZone(zone).plus({ days: 1 }).set({ hour: 10, minute: 0 }).toFormat("yyyy-LL-dd'T'HH:mm"))} />
          <span>At a time</span>
        </label>
        <div className="cp-grid2">
          <Field label="Send at" help={`Local time in ${zone}`}>
            <Input type="datetime-local" value={local} disabled={!draft.sendAt} onChange={(e) => setLocal(e.target.value)} />
          </Field>
          <Field label="Timezone">
            <Select
              value={zone}
              onChange={(e) => {
                // The wall-clock time stays; the instant moves with the zone.
                setDraft({ timezone: e.target.value });
                if (local) setLocal(local, e.target.value);
              }}
              options={zoneOptions}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset className="cp-fieldset">
        <legend>Quiet hours</legend>
        <Checkbox
          label="Hold messages during quiet hours, in each recipient's own timezone (the campaign's when unknown)"
          checked={Boolean(draft.quietHours)}
          onChange={(e) => setDraft({ quietHours: e.target.checked ? { start: '21:00', end: '08:00' } : null, timezone: zone })}
        />
        {draft.quietHours && (
          <div className="cp-grid2">
            <Field label="Quiet from">
              <Input type="time" value={draft.quietHours.start} onChange={(e) => setDraft({ quietHours: { ...draft.quietHours!, start: e.target.value } })} />
            </Field>
            <Field label="Quiet until">
              <Input type="time" value={draft.quietHours.end} onChange={(e) => setDraft({ quietHours: { ...draft.quietHours!, end: e.target.value } })} />
            </Field>
          </div>
        )}
        {draft.quietHours &&
          (draft.channels ?? []).map((ch) => {
            const quiet = draft.quietHours!;
            const own = quiet.channels?.[ch];
            const setOwn = (window: { start: string; end: string } | null) => {
              const channels = { ...quiet.channels };
              if (window) channels[ch] = window;
              else delete channels[ch];
              setDraft({ quietHours: { start: quiet.start, end: quiet.end, ...(Object.keys(channels).length ? { channels } : {}) } });
            };
            return (
              <div key={ch}>
                <Checkbox label={`Other quiet hours on ${CHANNEL_LABELS[ch]}`} checked={Boolean(own)} onChange={(e) => setOwn(e.target.checked ? { start: quiet.start, end: quiet.end } : null)} />
                {own && (
                  <div className="cp-grid2">
                    <Field label={`${CHANNEL_LABELS[ch]} quiet from`}>
                      <Input type="time" value={own.start} onChange={(e) => setOwn({ ...own, start: e.target.value })} />
                    </Field>
                    <Field label={`${CHANNEL_LABELS[ch]} quiet until`}>
                      <Input type="time" value={own.end} onChange={(e) => setOwn({ ...own, end: e.target.value })} />
                    </Field>
                  </div>
                )}
              </div>
            );
          })}
      </fieldset>
      <fieldset className="cp-fieldset">
        <legend>Send rate</legend>
        <div className="cp-grid2">
          {(draft.channels ?? []).map((ch) => (
            <Field key={ch} label={`${CHANNEL_LABELS[ch]} messages per second`} help="Empty: the channel's own limit">
              <Input type="number" min={0} step="any" value={draft.ratePerSecond?.[ch] ?? ''} onChange={(e) => setRate(ch, e.target.value)} />
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset className="cp-fieldset">
        <legend>A/B test</legend>
        <Checkbox
          label={variants > 1 ? `Test the ${variants} variants on part of the audience, then send the winner to the rest` : 'Needs two variants or more (add one in Content)'}
          disabled={variants < 2}
          checked={Boolean(draft.abTest)}
          onChange={(e) => setDraft({ abTest: e.target.checked ? { sharePercent: 20, metric: 'reply', waitMinutes: 240 } : null })}
        />
        {draft.abTest && (
          <div className="cp-grid2">
            <Field label="Test share (%)" help="Split evenly across the variants">
              <Input type="number" min={2} max={100} value={draft.abTest.sharePercent} onChange={(e) => setDraft({ abTest: { ...draft.abTest!, sharePercent: Number(e.target.value) } })} />
            </Field>
            <Field label="Winner by">
              <Select
                value={draft.abTest.metric}
                onChange={(e) => setDraft({ abTest: { ...draft.abTest!, metric: e.target.value as 'reply' | 'click' } })}
                options={[{ value: 'reply', label: 'Reply rate' }, { value: 'click', label: 'Click rate' }]}
              />
            </Field>
            <Field label="Wait before picking (minutes)">
              <Input type="number" min={1} value={draft.abTest.waitMinutes} onChange={(e) => setDraft({ abTest: { ...draft.abTest!, waitMinutes: Number(e.target.value) } })} />
            </Field>
          </div>
        )}
      </fieldset>
    </div>
  );
}
