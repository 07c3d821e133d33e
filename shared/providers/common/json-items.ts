/**
 * The exact texts of the elements of a JSON array inside a provider's answer, so a polled message is
 * stored as the provider wrote it (no re-serialisation that could round an id or reorder fields).
 * `key` names the array among the top-level object's fields; absent: the text is the array itself.
 * The text must be valid JSON (it is parsed first by the caller); this only finds boundaries.
 */
export function jsonArrayItems(text: string, key?: string): string[] {
  let at = skipSpace(text, 0);
  if (key !== undefined) {
    if (text[at] !== '{') return [];
    at = skipSpace(text, at + 1);
    let found = -1;
    while (at < text.length && text[at] !== '}') {
      const nameEnd = skipValue(text, at);
      const name = JSON.parse(text.slice(at, nameEnd)) as string;
      at = skipSpace(text, skipSpace(text, nameEnd) + 1);
      if (name === key) {
        found = at;
        break;
      }
      at = skipSpace(text, skipValue(text, at));
      if (text[at] === ',') at = skipSpace(text, at + 1);
    }
    if (found < 0) return [];
    at = found;
  }
  if (text[at] !== '[') return [];
  const items: string[] = [];
  at = skipSpace(text, at + 1);
  while (at < text.length && text[at] !== ']') {
    const end = skipValue(text, at);
    items.push(text.slice(at, end));
    at = skipSpace(text, end);
    if (text[at] === ',') at = skipSpace(text, at + 1);
  }
  return items;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  return at;
}

/** The index just after the JSON value starting at `at`. */
function skipValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') {
    let i = at + 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i = skipValue(text, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  let i = at;
  while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
  return i;
}
