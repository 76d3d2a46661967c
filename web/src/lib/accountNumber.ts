/** luhnValid reports whether a digit string ends in a correct Luhn check digit. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * accountNumberProblem says what is wrong with a typed account number, in the
 * server's words (ledger.AccountNumberProblem), or null when it is valid.
 */
export function accountNumberProblem(n: string): string | null {
  if (n === "") return "Enter the recipient's 12-digit account number.";
  if (!/^\d+$/.test(n)) return "An account number has only digits: enter all 12 of them.";
  if (n.length !== 12) return `An account number has 12 digits; this one has ${n.length}.`;
  if (!luhnValid(n)) return "This account number has a typo: its last digit doesn't match the others. Check the number and try again.";
  return null;
}
