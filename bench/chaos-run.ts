/**
 * The chaos run: the platform as `npm start` runs it, conversations over REST and an SMS webhook
 * stream driven for a fixed time, and a part SIGKILLed every few seconds in a seeded order. Then
 * every transcript is read back: each contact message stored once and answered exactly once.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startFakeTwilio } from '../test/fakes/twilio-server';
import { echoFlow } from '../test/support/flows';
import { workflowTaskStats } from './chaos-histories';
import { startPlatform, type PartName, type Platform } from './chaos-platform';
import { summarize } from './stats';

export interface ChaosOptions {
  seconds: number;
  conversations: number;
  killEverySeconds: number;
  webhooksPerSecond: number;
  seed: number;
  parts: PartName[];
  log?: (line: string) => void;
  /** Log the platform's own output (its parts' lines included) beside the run's. */
  verbose?: boolean;
  /** A directory to write every conversation run's Temporal history to, for a closer look at a stall. */
  historiesDir?: string;
}

/** mulberry32: a seeded order of kills, so a failing run can be replayed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A webhook the platform took but never answered counts as unanswered, as Twilio's own timeout does. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** How long after the load stops a missing message may still arrive (a send in its retry backoff waits up to a minute). */
const SETTLE_MS = 120_000;

/** Retries `attempt` until it answers true or `giveUpMs` passes; a refused connection or a 5xx is a retry. */
async function untilAccepted(attempt: () => Promise<boolean>, giveUpMs: number): Promise<boolean> {
  const until = Date.now() + giveUpMs;
  while (Date.now() < until) {
    try {
      if (await attempt()) return true;
    } catch {
      // The part that answers is down: the same request again, as a client would.
    }
    await sleep(500);
  }
  return false;
}

async function transcript(platform: Platform, conversationId: string): Promise<{ author: string; text: string }[]> {
  const messages: { author: string; text: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: any } = await platform.request('GET', `/v1/conversations/${conversationId}/messages?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (page.status !== 200) throw new Error(`transcript of ${conversationId}: ${page.status} ${JSON.stringify(page.body)}`);
    messages.push(...page.body.messages);
    cursor = page.body.nextCursor;
  } while (cursor);
  return messages;
}

/** Sent texts against a transcript: how many never arrived, arrived twice, went unanswered or were answered twice. */
function audit(sent: string[], messages: { author: string; text: string }[]) {
  const count = (author: string, text: string) => messages.filter((m) => m.author === author && m.text === text).length;
  const result = { lost: 0, duplicated: 0, unanswered: 0, answeredTwice: 0, lostTexts: [] as string[] };
  sent.forEach((text, i) => {
    const stored = count('contact', text);
    if (stored === 0) {
      result.lost++;
      result.lostTexts.push(text);
    }
    if (stored > 1) result.duplicated++;
    // The first message of a conversation is answered by the prompt, every later one by its echo.
    if (i === 0) return;
    const echoes = count('bot', `Echo: ${text}`);
    if (echoes === 0) result.unanswered++;
    if (echoes > 1) result.answeredTwice++;
  });
  return result;
}

export async function runChaos(o: ChaosOptions) {
  const log = o.log ?? (() => {});
  const account = `AC${randomBytes(16).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  const twilio = await startFakeTwilio({ accounts: { [account]: token } });
  // When the supervisor had each part serving again: `[start] db is running again, 2.3 s after it exited`.
  const backUp: { part: string; at: number; seconds: number }[] = [];
  const platform = await startPlatform(
    { CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' },
    {
      verbose: o.verbose,
      onLine: (line) => {
        const up = /^\[start\] (\w+) is running again, ([\d.]+) s after it exited/.exec(line);
        if (up) backUp.push({ part: up[1], at: Date.now(), seconds: Number(up[2]) });
        if (o.verbose) log(`${new Date().toISOString().slice(11, 23)} ${line}`);
      },
    },
  );
  try {
    log(`platform up at ${platform.url} (data in ${platform.dataDir})`);
    const flow = await platform.request('POST', '/v1/flows', { name: 'Chaos echo', graph: echoFlow });
    await platform.request('POST', `/v1/flows/${flow.body.id}/publish`, {});
    const FROM = '+15005550006';
    const channel = await platform.request('POST', '/v1/channels', {
      type: 'sms',
      name: 'Chaos SMS',
      flowId: flow.body.id,
      credentials: { accountSid: account, authToken: token },
      settings: { fromNumber: FROM, apiBaseUrl: twilio.url },
    });
    if (channel.status !== 201) throw new Error(`channel: ${JSON.stringify(channel.body)}`);
    const conversations: string[] = [];
    for (let i = 0; i < o.conversations; i++) conversations.push((await platform.request('POST', '/v1/conversations', { flowId: flow.body.id })).body.id);

    const started = Date.now();
    const deadline = started + o.seconds * 1000;
    const kills: { part: PartName; at: number }[] = [];
    const turns: { latencyMs: number; endedAt: number; startedAt: number }[] = [];
    const sent = new Map<string, string[]>(conversations.map((id) => [id, []]));
    let gaveUp = 0;
    const answeredAt = new Map<string, number>();

    const driveConversation = async (id: string, index: number) => {
      for (let n = 1; Date.now() < deadline; n++) {
        const text = `c${index}-m${n}`;
        const startedAt = Date.now();
        const ok = await untilAccepted(async () => {
          const res = await platform.request('POST', `/v1/conversations/${id}/messages`, { text, idempotencyKey: text }, 30_000);
          return res.status === 200;
        }, 120_000);
        // Sent counts even when the client gave up: it may have been stored before the answer was lost.
        sent.get(id)!.push(text);
        if (!ok) {
          gaveUp++;
          continue;
        }
        turns.push({ latencyMs: Date.now() - startedAt, startedAt, endedAt: Date.now() });
        answeredAt.set(text, Date.now());
      }
    };

    const phones = Array.from({ length: 5 }, (_, i) => `+1555010${String(i).padStart(4, '0')}`);
    const webhookBodies = new Map<string, string[]>(phones.map((p) => [p, []]));
    let webhooksAccepted = 0;
    const driveWebhooks = async () => {
      for (let n = 1; Date.now() < deadline; n++) {
        const phone = phones[n % phones.length];
        const body = `w${n}`;
        const sid = `SM${randomBytes(16).toString('hex')}`;
        // Twilio retries a webhook it got no answer to with the same MessageSid.
        const deliver = () => twilio.sendInbound(channel.body.webhookUrl, token, { To: FROM, From: phone, Body: body, MessageSid: sid });
        const ok = await untilAccepted(async () => (await withTimeout(deliver(), 30_000)).status === 200, 60_000);
        if (ok) {
          webhooksAccepted++;
          webhookBodies.get(phone)!.push(body);
        }
        await sleep(1000 / o.webhooksPerSecond);
      }
    };

    const random = seeded(o.seed);
    const killParts = async () => {
      for (;;) {
        await sleep(o.killEverySeconds * 1000);
        if (Date.now() > deadline - o.killEverySeconds * 500) return;
        const part = o.parts[Math.floor(random() * o.parts.length)];
        const killed = platform.kill(part);
        kills.push({ part, at: Date.now() });
        log(`t+${((Date.now() - started) / 1000).toFixed(0)} s (${new Date().toISOString().slice(11, 23)}): killed ${part} (${killed} processes)`);
      }
    };

    const auditAll = async () => {
      const zero = () => ({ lost: 0, duplicated: 0, unanswered: 0, answeredTwice: 0 });
      const add = (into: ReturnType<typeof zero>, a: ReturnType<typeof zero>) => (Object.keys(into) as (keyof typeof into)[]).forEach((k) => (into[k] += a[k]));
      const totals = zero();
      const webhookTotals = zero();
      const lines: string[] = [];
      for (const [id, texts] of sent) {
        const a = audit(texts, await transcript(platform, id));
        add(totals, a);
        for (const text of a.lostTexts) lines.push(`lost ${text} (answered at t+${((answeredAt.get(text)! - started) / 1000).toFixed(1)} s)`);
      }
      const list = await platform.request('GET', `/v1/conversations?channel=sms&limit=50`);
      let conversationsPerPhone = 0;
      for (const phone of phones) {
        const mine = list.body.conversations.filter((c: any) => c.contact?.phone === phone);
        conversationsPerPhone = Math.max(conversationsPerPhone, mine.length);
        const a = audit(webhookBodies.get(phone)!, (await Promise.all(mine.map((c: any) => transcript(platform, c.id)))).flat());
        add(webhookTotals, a);
        if (a.lostTexts.length) lines.push(`lost webhooks from ${phone}: ${a.lostTexts.join(' ')}`);
      }
      const missing = totals.lost + totals.unanswered + webhookTotals.lost + webhookTotals.unanswered;
      return { totals, webhookTotals, conversationsPerPhone, lines, missing };
    };

    // The machine's 1-minute load average while the load runs: the figures mean little without it.
    const loads: number[] = [];
    const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
    await Promise.all([...conversations.map(driveConversation), driveWebhooks(), killParts()]);
    clearInterval(sampler);
    log(`load stopped after ${((Date.now() - started) / 1000).toFixed(0)} s; reading every transcript`);

    // Let what was accepted last settle (the dispatcher, a send waiting out its retry backoff),
    // then read every transcript; a message still missing is read again until SETTLE_MS has passed.
    await untilAccepted(async () => (await platform.request('GET', '/health')).status === 200, 120_000);
    const loadStopped = Date.now();
    let report = await auditAll();
    while (report.missing > 0 && Date.now() - loadStopped < SETTLE_MS) {
      await sleep(5_000);
      report = await auditAll();
    }
    const settledAfterMs = Date.now() - loadStopped;
    for (const line of report.lines) log(line);
    const { totals, webhookTotals, conversationsPerPhone } = report;
    const messagesSent = [...sent.values()].reduce((n, texts) => n + texts.length, 0);

    // Unavailability: the longest stretch without an answered turn that starts between a kill and
    // the next one (it may run past the next kill; the first answer alone would count a turn the
    // killed part was not needed for as recovery).
    const ends = turns.map((t) => t.endedAt).sort((a, b) => a - b);
    const afterKills = kills.map((k, i) => {
      const until = Math.min(kills[i + 1]?.at ?? deadline, deadline);
      const marks = [k.at, ...ends.filter((e) => e > k.at && e < until), ends.find((e) => e >= until) ?? until];
      // The supervisor's own measure of the part's outage: from its exit until it served again.
      const restarted = backUp.find((b) => b.part === k.part && b.at >= k.at);
      return {
        part: k.part,
        atS: Math.round((k.at - started) / 100) / 10,
        ms: Math.max(...marks.slice(1).map((m, j) => m - marks[j])),
        ...(restarted ? { partBackAfterS: restarted.seconds } : {}),
      };
    });
    const workflowTasks = await workflowTaskStats(platform.temporalAddress, o.historiesDir);
    const inFault = (t: { startedAt: number; endedAt: number }) => kills.some((k) => k.at <= t.endedAt && k.at + 15_000 >= t.startedAt);
    return {
      seed: o.seed,
      seconds: o.seconds,
      conversations: o.conversations,
      kills: kills.length,
      killsByPart: Object.fromEntries(o.parts.map((p) => [p, kills.filter((k) => k.part === p).length])),
      turns: { sent: messagesSent, answered: turns.length, clientGaveUp: gaveUp, ...totals },
      webhooks: { accepted: webhooksAccepted, conversationsPerPhone, ...webhookTotals },
      latencyMs: {
        duringFaults: summarize(turns.filter(inFault).map((t) => t.latencyMs)),
        outsideFaults: summarize(turns.filter((t) => !inFault(t)).map((t) => t.latencyMs)),
      },
      settledAfterMs,
      loadAverage: { min: Math.min(...loads), max: Math.max(...loads), mean: Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 10) / 10 },
      longestUnavailableMs: Math.max(0, ...afterKills.map((k) => k.ms)),
      longestUnavailableByPart: Object.fromEntries(o.parts.map((p) => [p, Math.max(0, ...afterKills.filter((k) => k.part === p).map((k) => k.ms))])),
      unavailableAfterEachKill: afterKills,
      workflowTasks,
    };
  } catch (err) {
    log(platform.output().slice(-3000));
    throw err;
  } finally {
    await platform.stop();
    await twilio.close();
  }
}
