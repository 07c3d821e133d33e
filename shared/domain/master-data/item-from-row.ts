/**
 * A CSV or XLSX row as the item the entity's JSON Schema describes: dotted column names nest
 * (`dimensions.length`, `address.postalCode`), numeric parts index arrays (`units.0.factor`), empty
 * cells are left out, and cells become the type the schema asks for at their place (`12.5` a
 * number, `true`/`yes`/`1` a boolean, `a|b` a list of texts). What cannot be converted is left as it
 * is, so the schema then names the column's path and says what is wrong.
 */
export function itemFromRow(
  values: Readonly<Record<string, unknown>>,
  schema: object
): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(values)) {
    const cell = typeof raw === 'string' ? raw.trim() : raw;
    if (cell === undefined || cell === null || cell === '') continue;
    const parts = column.trim().split('.');
    let target: Record<string, unknown> | unknown[] = item;
    let at: SchemaNode | undefined = schema;
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      const key: string | number = Array.isArray(target) && /^\d+$/.test(part) ? Number(part) : part;
      at = childSchema(at, part);
      if (last) {
        (target as Record<string | number, unknown>)[key] = coerce(cell, at);
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[index + 1]!);
      const existing = (target as Record<string | number, unknown>)[key];
      const next: Record<string, unknown> | unknown[] =
        typeof existing === 'object' && existing !== null
          ? (existing as Record<string, unknown> | unknown[])
          : nextIsIndex
            ? []
            : {};
      (target as Record<string | number, unknown>)[key] = next;
      target = next;
    });
  }
  return compactArrays(item) as Record<string, unknown>;
}

interface SchemaNode {
  type?: string;
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

function childSchema(node: SchemaNode | undefined, part: string): SchemaNode | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'array') return /^\d+$/.test(part) ? node.items : undefined;
  return node.properties?.[part];
}

const midnight = /^\d{4}-\d{2}-\d{2}T00:00:00(?:\.0+)?Z$/;
const numberText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const trueTexts = new Set(['true', 'yes', 'y', '1']);
const falseTexts = new Set(['false', 'no', 'n', '0']);

function coerce(cell: unknown, node: SchemaNode | undefined): unknown {
  switch (node?.type) {
    case 'number':
    case 'integer':
      return typeof cell === 'string' && numberText.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const text = String(cell).toLowerCase();
      return trueTexts.has(text) ? true : falseTexts.has(text) ? false : cell;
    }
    case 'string':
      if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
      // A spreadsheet's date cell is read as midnight UTC; a date field wants the day.
      if (node.format === 'date' && typeof cell === 'string' && midnight.test(cell)) return cell.slice(0, 10);
      return cell;
    case 'array':
      return typeof cell === 'string'
        ? cell
            .split('|')
            .map((part) => coerce(part.trim(), node.items))
            .filter((part) => part !== '')
        : cell;
    default:
      return cell;
  }
}

/** Arrays built from `units.0` and `units.2` have a hole at 1: it closes, keeping the order given. */
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]));
  }
  return value;
}
