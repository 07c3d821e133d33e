import type { GeoPoint } from './source';

const earthRadiusKm = 6371.0088;

/** Great-circle (haversine) distance in kilometres. */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Distance used for planning: straight line × road factor (1 = straight line), rounded to metres so
 * that the solver, the reported plan and any re-computation agree exactly.
 */
export function planningDistanceKm(a: GeoPoint, b: GeoPoint, roadFactor: number): number {
  return roundTo(haversineKm(a, b) * roadFactor, 3);
}

export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
