// Text measures shared by the model's constraint checks and the operations' own rules, so both
// count the same way.

/** Length in Unicode scalar values, as Smithy counts it (not UTF-16 code units). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export const lowerCamel = (name: string): string => (name ? name.charAt(0).toLowerCase() + name.slice(1) : name);
