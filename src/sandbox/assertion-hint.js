// @ts-check
// What to check after a vendor refused a token request whose assertion this script signed.
import { tokenmanResolve } from './template.js';

/**
 * The variable names a template refers to, in order, each once.
 * @param {string} template
 * @returns {string[]}
 */
function tokenmanTemplateNames(template) {
  /** @type {string[]} */
  const names = [];
  tokenmanResolve(template || '', () => undefined, names);
  return names.filter((name, i) => names.indexOf(name) === i);
}

/**
 * What to check after a vendor refused a token request that carried an assertion this script
 * signed, judged from the vendor's words (tokenmanDescribeFailure's sentence): its time (iat and
 * exp come from this computer's clock, so a vendor that finds them expired or in the future points
 * at a clock that is wrong here or there) or its key (a signature or kid that does not match what
 * the vendor registered). '' when the words point at neither, or nothing was signed.
 * @param {string} why
 * @param {import('./types.js').AssertionPlan | null} assertion
 * @returns {string}
 */
export function tokenmanAssertionHint(why, assertion) {
  if (assertion?.source !== 'sign') return '';
  const text = String(why);
  const hints = [];
  // Words that name no cause (Salesforce's "invalid assertion") get both hints.
  const vague = /invalid assertion/i.test(text);
  const time =
    /expired|not active|time range|timeframe|short-lived|in the (future|past)|not yet valid|\b(iat|exp|nbf)\b/i;
  if (vague || time.test(text)) {
    hints.push(
      "the assertion's iat and exp come from this computer's clock: check that it is right, since vendors allow only minutes of skew",
    );
  }
  if (vague || /signature|\bkid\b|key was not found|public key/i.test(text)) {
    /** @param {string} template */
    const names = (template) => tokenmanTemplateNames(template).join(', ');
    let hint = `check that ${names(assertion.key) || 'the key'} is the ${assertion.alg === 'HS256' ? 'secret' : 'private key'} the vendor has registered`;
    if (names(assertion.kid)) hint += `, and ${names(assertion.kid)} its key id`;
    if (names(assertion.certificate)) hint += `, and ${names(assertion.certificate)} its certificate`;
    hints.push(hint);
  }
  return hints.length ? ` (${hints.join('; ')})` : '';
}
