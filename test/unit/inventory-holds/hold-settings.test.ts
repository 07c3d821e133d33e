import {
  ConfigError,
  defaultRecheckSchedule,
  loadAtpDefaultDays,
  loadHoldSettings,
} from '../../../shared/config';

describe('hold and ATP settings', () => {
  it('default to a daily re-check at 02:00, no SLA and a 7-day period', () => {
    expect(loadHoldSettings({})).toEqual({ recheckSchedule: defaultRecheckSchedule });
    expect(defaultRecheckSchedule).toBe('0 0 2 * * *');
    expect(loadAtpDefaultDays({})).toBe(7);
  });

  it('take the environment’s values', () => {
    expect(
      loadHoldSettings({
        OPENIOM_HOLD_RECHECK_SCHEDULE: ' 0 */15 * * * * ',
        OPENIOM_HOLD_CANCEL_AFTER_DAYS: '30',
      })
    ).toEqual({ recheckSchedule: '0 */15 * * * *', cancelAfterDays: 30 });
    expect(loadAtpDefaultDays({ OPENIOM_ATP_DAYS: '14' })).toBe(14);
  });

  it('name every bad variable', () => {
    let problems: readonly string[] = [];
    try {
      loadHoldSettings({ OPENIOM_HOLD_RECHECK_SCHEDULE: '0 2 * * *', OPENIOM_HOLD_CANCEL_AFTER_DAYS: '366' });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toEqual([
      expect.stringContaining('OPENIOM_HOLD_RECHECK_SCHEDULE'),
      expect.stringContaining('OPENIOM_HOLD_CANCEL_AFTER_DAYS'),
    ]);
    for (const days of ['0', '1.5', 'x']) {
      expect(() => loadHoldSettings({ OPENIOM_HOLD_CANCEL_AFTER_DAYS: days })).toThrow(ConfigError);
    }
    expect(() => loadAtpDefaultDays({ OPENIOM_ATP_DAYS: '367' })).toThrow(ConfigError);
  });
});
