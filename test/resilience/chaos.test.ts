/**
 * A short chaos run in the suite (the full one is `npm run chaos`): the platform as `npm start`
 * runs it, under conversations and a webhook stream, with a part SIGKILLed every few seconds.
 * Nothing may be lost or doubled; every message is answered exactly once.
 */
import { expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos-run';

it('loses and doubles nothing while every part is killed in turn', async () => {
  const result = await runChaos({
    seconds: 50,
    conversations: 4,
    killEverySeconds: 9,
    webhooksPerSecond: 1,
    // Fixed, so a failure replays the same order of kills.
    seed: 20261203,
    parts: ['worker', 'api', 'db', 'temporal', 'redis'],
    log: (line) => console.log(`chaos: ${line}`),
  });
  console.log(JSON.stringify(result));
  expect(result.kills).toBeGreaterThanOrEqual(4);
  expect(result.turns.sent).toBeGreaterThan(20);
  expect(result.webhooks.accepted).toBeGreaterThan(10);
  const { turns, webhooks } = result;
  expect({ lost: turns.lost, duplicated: turns.duplicated, answeredTwice: turns.answeredTwice, unanswered: turns.unanswered }).toEqual({ lost: 0, duplicated: 0, answeredTwice: 0, unanswered: 0 });
  expect({ lost: webhooks.lost, duplicated: webhooks.duplicated, answeredTwice: webhooks.answeredTwice, unanswered: webhooks.unanswered }).toEqual({ lost: 0, duplicated: 0, answeredTwice: 0, unanswered: 0 });
  expect(webhooks.conversationsPerPhone).toBe(1);
}, 600_000);
