/**
 * Synthetic knowledge-base text for the scale measurement: sentences assembled from front-desk
 * vocabulary (services, prices, days, policies), deterministic per seed, so full-text and vector
 * search have realistic term statistics and every run measures the same corpus.
 */
const SUBJECTS = [
  'the clinic', 'our restaurant', 'the front desk', 'the spa', 'the hotel reception', 'the dental practice', 'the bakery', 'the gym',
  'the pharmacy', 'the garage', 'the salon', 'the library', 'the pet clinic', 'the language school', 'the bike shop', 'the museum shop',
];
const VERBS = ['offers', 'charges', 'opens', 'closes', 'accepts', 'requires', 'schedules', 'refunds', 'delivers', 'reserves', 'cancels', 'renews'];
const OBJECTS = [
  'teeth cleaning', 'root canal treatment', 'a tasting menu', 'vegan desserts', 'gift vouchers', 'group bookings', 'late check-out',
  'private parking', 'wheelchair access', 'card payments', 'insurance claims', 'emergency appointments', 'annual memberships',
  'children’s haircuts', 'oil changes', 'vaccinations', 'orthodontic braces', 'gluten-free bread', 'airport transfers', 'massage sessions',
  'weekend brunch', 'prescription refills', 'loyalty points', 'home delivery', 'whitening treatment', 'wine pairings',
];
const QUALIFIERS = [
  'from monday to friday', 'on saturday mornings', 'until nine in the evening', 'for 45 euros', 'for 120 euros per person',
  'with 24 hours notice', 'within fourteen days', 'during public holidays', 'by phone or online', 'for members only',
  'after the first visit', 'at no extra charge', 'in the summer season', 'before noon', 'with a valid receipt', 'for groups of eight or more',
];

function random(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

const pick = <T>(list: T[], next: (n: number) => number) => list[next(list.length)];

function sentence(next: (n: number) => number): string {
  const s = `${pick(SUBJECTS, next)} ${pick(VERBS, next)} ${pick(OBJECTS, next)} ${pick(QUALIFIERS, next)}`;
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/** A chunk of 6–10 sentences (~60–110 tokens). */
export function syntheticChunk(seed: number): string {
  const next = random(seed);
  return Array.from({ length: 6 + next(5) }, () => sentence(next)).join(' ');
}

/** A question a contact might ask, in the same vocabulary. */
export function syntheticQuery(seed: number): string {
  const next = random(seed * 7919 + 17);
  return `Does ${pick(SUBJECTS, next)} offer ${pick(OBJECTS, next)} ${pick(QUALIFIERS, next)}?`;
}
