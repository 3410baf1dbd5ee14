import { describe, expect, it } from 'vitest';
import {
  CANARY_PROFILE_TENANTS,
  CANARY_REQUESTS_PER_TENANT,
  CANARY_TRAFFIC_WEIGHT,
  DEFAULT_CANARY_HEADER,
  PROFILES,
  parseDurationSeconds,
  resolveRunSettings,
} from './profiles.js';

describe('resolveRunSettings()', () => {
  it('defaults to the load profile', () => {
    const settings = resolveRunSettings({});
    expect(settings.profile).toBe('load');
    expect(settings.ratePerSecond).toBe(PROFILES.load.ratePerSecond);
    expect(settings.durationSeconds).toBe(PROFILES.load.durationSeconds);
    expect(settings.headers).toEqual({});
  });

  it('lets BASE_URL, RATE and DURATION override the profile', () => {
    const settings = resolveRunSettings({ PROFILE: 'soak', BASE_URL: 'https://staging.example/', RATE: '12.5', DURATION: '2m' });
    expect(settings).toMatchObject({ profile: 'soak', baseUrl: 'https://staging.example', ratePerSecond: 12.5, durationSeconds: 120 });
  });

  it('makes only the smoke profile abort on failure', () => {
    expect(resolveRunSettings({ PROFILE: 'smoke' }).abortOnFail).toBe(true);
    expect(resolveRunSettings({ PROFILE: 'load' }).abortOnFail).toBe(false);
  });

  it('sends the canary header in the canary profile, and a custom one when CANARY_HEADER is set', () => {
    expect(resolveRunSettings({ PROFILE: 'canary' }).headers).toEqual({ [DEFAULT_CANARY_HEADER.name]: DEFAULT_CANARY_HEADER.value });
    expect(resolveRunSettings({ PROFILE: 'canary', CANARY_HEADER: 'x-track: canary' }).headers).toEqual({ 'x-track': 'canary' });
  });

  it('sends each of 40 equally weighted tenants the canary requests the gate needs for 95% power', () => {
    const { ratePerSecond, durationSeconds } = PROFILES.canary;
    const perTenant = (ratePerSecond * durationSeconds * CANARY_TRAFFIC_WEIGHT) / CANARY_PROFILE_TENANTS;
    expect(perTenant).toBeGreaterThanOrEqual(CANARY_REQUESTS_PER_TENANT);
    expect(CANARY_REQUESTS_PER_TENANT).toBeGreaterThanOrEqual(650);
  });

  it('fails on an unknown profile, naming the known ones', () => {
    expect(() => resolveRunSettings({ PROFILE: 'stress' })).toThrow('PROFILE=stress is not a profile (known: smoke, load, soak, canary)');
  });

  it('fails on a RATE that is not a positive number', () => {
    expect(() => resolveRunSettings({ RATE: '-3' })).toThrow(/RATE=-3 is not a positive number/);
  });

  it('fails on a CANARY_HEADER without a value', () => {
    expect(() => resolveRunSettings({ PROFILE: 'canary', CANARY_HEADER: 'x-canary' })).toThrow(/is not "name: value"/);
  });
});

describe('parseDurationSeconds()', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['5m', 300],
    ['1h', 3600],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it('fails on a duration it cannot read', () => {
    expect(() => parseDurationSeconds('five minutes')).toThrow(/DURATION=five minutes is not a duration/);
  });
});
