import { expect, it } from 'vitest';
import { BoundedMap } from './bounded-map';

it('drops the oldest key when a new one comes to a full map, and nothing when a held key is set again', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2);
  map.set('a', 10);
  expect([...map]).toEqual([['a', 10], ['b', 2]]);
  map.set('c', 3);
  expect([...map.keys()]).toEqual(['b', 'c']);
  // Deleted and set again, a key becomes the newest: the next new key drops the other.
  map.delete('b');
  map.set('b', 20);
  map.set('d', 4);
  expect([...map.keys()]).toEqual(['b', 'd']);
});
