/**
 * The password rule beyond length: refuse the passwords that lists of leaked passwords start with
 * (and their simple variations), single-character runs and keyboard or alphabet sequences, and any
 * password containing the account's email name. Pure, so the API and the console share it.
 */

/** Ten characters or more, from the top of public leaked-password lists; compared lower-cased. */
const COMMON = new Set([
  '1234567890', '0123456789', '0987654321', '1234512345', '1122334455', '1q2w3e4r5t', '1qaz2wsx3edc', 'qwertyuiop',
  'asdfghjkl;', 'zxcvbnm123', 'qwerty1234', 'qwerty12345', 'qwertyuiop1', 'q1w2e3r4t5', 'password12', 'password123',
  'password1234', 'password!1', 'passw0rd123', 'p@ssw0rd123', 'iloveyou12', 'iloveyou123', 'princess123', 'sunshine123',
  'football123', 'baseball123', 'basketball', 'letmein123', 'welcome123', 'welcome1234', 'monkey1234', 'dragon1234',
  'master1234', 'superman123', 'trustno1234', 'starwars123', 'whatever123', 'changeme123', 'administrator', 'admin12345',
  'admin123456', 'adminadmin', 'abc1234567', 'abcd123456', 'abcdefghij', 'abcdefg123', 'secret1234', 'computer12',
  'michael123', 'jennifer123', 'jordan2323', 'liverpool1', 'chocolate1', 'butterfly1', 'sunshine12', 'password01',
  'switchboard', 'switchboard1', 'switchboard123',
]);

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Why the password is refused, or null when it passes. `email` is the account's, when known. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < 10) return 'password must be at least 10 characters';
  const lower = password.toLowerCase();
  // "password" dressed up (P@ssw0rd2024!) is still the word: drop what is tacked on, undo the look-alikes.
  const bare = lower
    .replace(/^[\d\W_]+|[\d\W_]+$/g, '')
    .replace(/@/g, 'a')
    .replace(/0/g, 'o')
    .replace(/[$5]/g, 's')
    .replace(/3/g, 'e')
    .replace(/[1!]/g, 'i')
    .replace(/[^a-z]/g, '');
  if (COMMON.has(lower) || ['password', 'switchboard', 'qwerty', 'letmein', 'welcome', 'iloveyou', 'admin', 'administrator'].includes(bare)) {
    return 'password is one of the most common passwords: choose another';
  }
  if (new Set(lower).size <= 2) return 'password repeats one or two characters: choose another';
  if (SEQUENCES.some((s) => s.includes(lower) || (s + s).includes(lower) || [...s].reverse().join('').includes(lower))) {
    return 'password is a keyboard or alphabet sequence: choose another';
  }
  const name = email?.split('@')[0]?.toLowerCase() ?? '';
  if (name.length >= 3 && lower.includes(name)) return 'password must not contain the email address';
  return null;
}
