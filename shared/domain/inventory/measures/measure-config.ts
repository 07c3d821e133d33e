import type { ValidationIssue } from '../../errors';
import {
  allocateCheckMeasure,
  defaultMeasureDefinitions,
  reserveCheckMeasure,
  safetyStockTerm,
  systemMeasures,
  validateMeasureDefinitions,
  type MeasureDefinitions,
} from './measures';

/**
 * The measure configuration as the API shows and takes it (`GET`/`PUT /api/v1/inventory/measures`):
 * the physical measures — built-in ones and custom ones that data sources may write — and the
 * calculated measures, each a signed sum of physical measures, optionally less the source's safety
 * stock. Calculated measures are sums of physical measures only (no calculated-of-calculated), so a
 * configuration can have no cycles. The rules run on `MeasureDefinitions` (measures.ts).
 */

export type Sign = 1 | -1;

export interface MeasureTerm {
  measure: string;
  sign: Sign;
}

export interface CalculatedMeasure {
  name: string;
  terms: MeasureTerm[];
  /** Subtract the source's safety stock (absent: no). */
  includeSafetyStock?: boolean;
}

/** Who writes a physical measure: data sources (change events, set) or this service. */
export type MeasureWriter = 'source' | 'service';

export interface PhysicalMeasure {
  name: string;
  builtIn: boolean;
  writtenBy: MeasureWriter;
}

/** The configuration in force: every physical measure (built-in first) and every calculated one. */
export interface MeasureConfiguration {
  physical: PhysicalMeasure[];
  calculated: CalculatedMeasure[];
}

/** What a PUT may send (a GET's answer is a valid PUT body: built-in entries are read-only). */
export interface MeasureConfigurationInput {
  physical?: { name: string; builtIn?: boolean; writtenBy?: MeasureWriter }[];
  calculated: CalculatedMeasure[];
}

/** What is stored: only what is not built in. */
export interface StoredMeasureConfiguration {
  /** Custom physical measures (written by data sources). */
  physical: string[];
  calculated: CalculatedMeasure[];
}

/** Physical measures that are always there, whatever the configuration. */
export const builtInPhysicalMeasures: readonly PhysicalMeasure[] = [
  ...defaultMeasureDefinitions.physical.map((name) => ({
    name,
    builtIn: true,
    writtenBy: 'source' as const,
  })),
  ...systemMeasures.map((name) => ({ name, builtIn: true, writtenBy: 'service' as const })),
];

/** Calculated measures that every configuration keeps: reservations and allocations check them. */
export const requiredCalculatedMeasures = [reserveCheckMeasure, allocateCheckMeasure] as const;

/** The stored form of the defaults (what is in force while no configuration was saved). */
export const defaultStoredMeasureConfiguration: StoredMeasureConfiguration =
  storedOf(defaultMeasureDefinitions);

function storedOf(definitions: MeasureDefinitions): StoredMeasureConfiguration {
  const builtIn = new Set(builtInPhysicalMeasures.map((m) => m.name));
  return {
    physical: definitions.physical.filter((name) => !builtIn.has(name)),
    calculated: Object.entries(definitions.calculated).map(([name, formula]) => ({
      name,
      terms: [
        ...formula.plus
          .filter((t) => t !== safetyStockTerm)
          .map((measure) => ({ measure, sign: 1 as const })),
        ...formula.minus
          .filter((t) => t !== safetyStockTerm)
          .map((measure) => ({ measure, sign: -1 as const })),
      ],
      includeSafetyStock: formula.minus.includes(safetyStockTerm),
    })),
  };
}

/** The full view of a stored configuration. */
export function measureConfigurationOf(stored: StoredMeasureConfiguration): MeasureConfiguration {
  return {
    physical: [
      ...builtInPhysicalMeasures.map((m) => ({ ...m })),
      ...stored.physical.map((name) => ({ name, builtIn: false, writtenBy: 'source' as const })),
    ],
    calculated: stored.calculated.map((c) => ({
      name: c.name,
      terms: c.terms.map((t) => ({ ...t })),
      includeSafetyStock: c.includeSafetyStock ?? false,
    })),
  };
}

/** The definitions the rules use: custom physical measures become writable by data sources. */
export function measureDefinitionsOf(stored: StoredMeasureConfiguration): MeasureDefinitions {
  return {
    physical: [...defaultMeasureDefinitions.physical, ...stored.physical],
    calculated: Object.fromEntries(
      stored.calculated.map((c) => [
        c.name,
        {
          plus: c.terms.filter((t) => t.sign === 1).map((t) => t.measure),
          minus: [
            ...c.terms.filter((t) => t.sign === -1).map((t) => t.measure),
            ...(c.includeSafetyStock === true ? [safetyStockTerm] : []),
          ],
        },
      ])
    ),
  };
}

/**
 * A PUT body (already shape-checked) as the stored configuration, or every rule it breaks with its
 * path: a built-in measure redefined, a name used twice, a term that is not a physical measure, a
 * required calculated measure missing, or a check measure that does not subtract what reservations
 * and allocations hold (else they would not lower the number they are checked against).
 */
export function storedMeasureConfigurationOf(
  input: MeasureConfigurationInput
): { ok: true; value: StoredMeasureConfiguration } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const builtIn = new Map(builtInPhysicalMeasures.map((m) => [m.name, m]));
  const custom: string[] = [];
  const physical = new Set(builtIn.keys());
  (input.physical ?? []).forEach((entry, index) => {
    const path = `/physical/${index}`;
    const known = builtIn.get(entry.name);
    if (known !== undefined) {
      // A built-in entry may be sent back as GET shows it; it cannot be changed.
      if (entry.builtIn !== true)
        issues.push({ path: `${path}/name`, message: `"${entry.name}" is a built-in measure` });
      else if (entry.writtenBy !== undefined && entry.writtenBy !== known.writtenBy)
        issues.push({ path: `${path}/writtenBy`, message: `must be "${known.writtenBy}" (read-only)` });
      return;
    }
    if (entry.builtIn === true)
      issues.push({ path: `${path}/builtIn`, message: `"${entry.name}" is not a built-in measure` });
    if (entry.writtenBy === 'service')
      issues.push({ path: `${path}/writtenBy`, message: 'custom measures are written by data sources' });
    if (entry.name === safetyStockTerm) {
      issues.push({ path: `${path}/name`, message: `"${safetyStockTerm}" is the source's safety stock` });
    } else if (physical.has(entry.name)) {
      issues.push({ path: `${path}/name`, message: `"${entry.name}" is listed twice` });
    } else {
      physical.add(entry.name);
      custom.push(entry.name);
    }
  });

  const calculatedNames = new Set(input.calculated.map((c) => c.name));
  const seen = new Set<string>();
  input.calculated.forEach((measure, index) => {
    const path = `/calculated/${index}`;
    if (physical.has(measure.name))
      issues.push({ path: `${path}/name`, message: `"${measure.name}" is already a physical measure` });
    else if (measure.name === safetyStockTerm)
      issues.push({ path: `${path}/name`, message: `"${safetyStockTerm}" is the source's safety stock` });
    else if (seen.has(measure.name))
      issues.push({ path: `${path}/name`, message: `"${measure.name}" is listed twice` });
    seen.add(measure.name);
    const terms = new Set<string>();
    measure.terms.forEach((term, t) => {
      const at = `${path}/terms/${t}/measure`;
      if (terms.has(term.measure)) issues.push({ path: at, message: `"${term.measure}" is listed twice` });
      else if (term.measure === safetyStockTerm)
        issues.push({ path: at, message: 'use includeSafetyStock for the safety stock' });
      else if (calculatedNames.has(term.measure) && !physical.has(term.measure))
        issues.push({ path: at, message: `"${term.measure}" is calculated; terms are physical measures` });
      else if (!physical.has(term.measure))
        issues.push({ path: at, message: `"${term.measure}" is not a physical measure` });
      terms.add(term.measure);
    });
  });
  for (const required of requiredCalculatedMeasures) {
    const index = input.calculated.findIndex((c) => c.name === required);
    if (index < 0) {
      const why = required === reserveCheckMeasure ? 'reservations' : 'allocations';
      issues.push({
        path: '/calculated',
        message: `must define "${required}" (${why} are checked against it)`,
      });
      continue;
    }
    for (const held of systemMeasures) {
      const term = input.calculated[index]!.terms.find((t) => t.measure === held);
      if (term?.sign !== -1) {
        issues.push({ path: `/calculated/${index}/terms`, message: `must subtract "${held}" (sign -1)` });
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const value: StoredMeasureConfiguration = {
    physical: custom,
    calculated: input.calculated.map((c) => ({
      name: c.name,
      terms: c.terms.map((t) => ({ measure: t.measure, sign: t.sign })),
      includeSafetyStock: c.includeSafetyStock ?? false,
    })),
  };
  // The rules' own check (names, terms, check measures) as a backstop: it must agree.
  const backstop = validateMeasureDefinitions(measureDefinitionsOf(value));
  return backstop.length > 0 ? { ok: false, issues: backstop } : { ok: true, value };
}
