/**
 * Synthetic knowledge-base text for the scale measurement, deterministic per seed so every run
 * measures the same corpus. Term statistics follow real knowledge bases rather than a phrase book:
 * each chunk belongs to one of many businesses (a selective name, as real questions carry: "Does
 * Harlow Dental take card payments?"), mixes front-desk vocabulary with filler words drawn from a
 * Zipf distribution over a large vocabulary, so a few words are in most chunks and most words in few.
 */
const KINDS = [
  'clinic', 'restaurant', 'spa', 'hotel', 'dental practice', 'bakery', 'gym', 'pharmacy', 'garage', 'salon', 'library',
  'pet clinic', 'language school', 'bike shop', 'museum shop', 'florist', 'physiotherapy', 'optician', 'yoga studio', 'car rental',
];
const VERBS = ['offers', 'charges', 'opens', 'closes', 'accepts', 'requires', 'schedules', 'refunds', 'delivers', 'reserves', 'cancels', 'renews'];
const OBJECTS = [
  'teeth cleaning', 'root canal treatment', 'a tasting menu', 'vegan desserts', 'gift vouchers', 'group bookings', 'late check-out',
  'private parking', 'wheelchair access', 'card payments', 'insurance claims', 'emergency appointments', 'annual memberships',
  'children’s haircuts', 'oil changes', 'vaccinations', 'orthodontic braces', 'gluten-free bread', 'airport transfers', 'massage sessions',
  'weekend brunch', 'prescription refills', 'loyalty points', 'home delivery', 'whitening treatment', 'wine pairings', 'eye tests',
  'contact lenses', 'bridal bouquets', 'sports massage', 'beginner classes', 'one-way rentals', 'student discounts', 'pet grooming',
];
const QUALIFIERS = [
  'from monday to friday', 'on saturday mornings', 'until nine in the evening', 'for 45 euros', 'for 120 euros per person',
  'with 24 hours notice', 'within fourteen days', 'during public holidays', 'by phone or online', 'for members only',
  'after the first visit', 'at no extra charge', 'in the summer season', 'before noon', 'with a valid receipt', 'for groups of eight or more',
];
const SYLLABLES = ['har', 'low', 'ben', 'mar', 'tel', 'os', 'quin', 'dra', 'vel', 'ro', 'sa', 'lin', 'gor', 'et', 'pa', 'mun', 'ci', 'zo', 'ka', 'der', 'fen', 'ul', 'bri', 'ton'];
const BUSINESSES = 4000;
const VOCABULARY = 30_000;

/** A seeded generator of integers below n (a linear congruential generator). */
export function random(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

type Next = (n: number) => number;
const pick = <T>(list: readonly T[], next: Next) => list[next(list.length)];

/** A pronounceable word from a number, unique per number: base-24 digits as syllables. */
function word(n: number): string {
  let out = '';
  do {
    out += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return out;
}

const businessName = (i: number) => `${word(i + 600).replace(/^./, (c) => c.toUpperCase())} ${KINDS[i % KINDS.length]}`;

/** Zipf(s = 1) over the vocabulary by inverse transform on the harmonic numbers' approximation. */
function zipfWord(next: Next): string {
  const u = (next(1_000_000) + 0.5) / 1_000_000;
  const rank = Math.min(VOCABULARY - 1, Math.floor(Math.exp(u * Math.log(VOCABULARY))) - 1);
  return word(rank + 50_000);
}

function sentence(business: string, next: Next): string {
  const filler = Array.from({ length: 3 + next(5) }, () => zipfWord(next)).join(' ');
  const s = `${business} ${pick(VERBS, next)} ${pick(OBJECTS, next)} ${pick(QUALIFIERS, next)}, ${filler}`;
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/** A chunk of 6–10 sentences (~90–160 tokens) about one business. */
export function syntheticChunk(seed: number): string {
  const next = random(seed);
  const business = businessName(next(BUSINESSES));
  return Array.from({ length: 6 + next(5) }, () => sentence(business, next)).join(' ');
}

/** A question a contact might ask about one of the businesses, in the same vocabulary. */
export function syntheticQuery(seed: number): string {
  const next = random(seed * 7919 + 17);
  return `Does ${businessName(next(BUSINESSES))} offer ${pick(OBJECTS, next)} ${pick(QUALIFIERS, next)}?`;
}
