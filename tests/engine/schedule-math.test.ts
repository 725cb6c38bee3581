import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { lastSlotAtOrBefore, nextSlotAfter, slotAt, type ScheduleSpec } from '../../src/engine/schedule-math.ts';

const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('schedule arithmetic', () => {
  it('keeps "every day at 02:30 Europe/Paris" at 02:30 local across both DST changes', () => {
    const s: ScheduleSpec = { startLocal: '2026-03-27T02:30', timeZone: 'Europe/Paris', every: 1, unit: 'days' };
    const days = Array.from({ length: 5 }, (_, k) => local(slotAt(s, k), 'Europe/Paris'));
    // 29 March: clocks jump 02:00 -> 03:00, 02:30 does not exist and the slot moves forward by the gap.
    expect(days).toEqual(['2026-03-27T02:30', '2026-03-28T02:30', '2026-03-29T03:30', '2026-03-30T02:30', '2026-03-31T02:30']);
    expect(slotAt(s, 3).toISOString()).toBe('2026-03-30T00:30:00.000Z'); // CEST, UTC+2
    expect(slotAt(s, 0).toISOString()).toBe('2026-03-27T01:30:00.000Z'); // CET, UTC+1
    const autumn: ScheduleSpec = { ...s, startLocal: '2026-10-24T02:30' };
    const fall = Array.from({ length: 3 }, (_, k) => local(slotAt(autumn, k), 'Europe/Paris'));
    expect(fall).toEqual(['2026-10-24T02:30', '2026-10-25T02:30', '2026-10-26T02:30']);
    expect(slotAt(autumn, 2).getTime() - slotAt(autumn, 1).getTime()).toBe(25 * 3600_000); // the long day
  });

  it('counts days in the schedule zone, not in UTC (New York, every 2 days)', () => {
    const s: ScheduleSpec = { startLocal: '2026-11-01T00:15', timeZone: 'America/New_York', every: 2, unit: 'days' };
    expect([0, 1, 2].map((k) => local(slotAt(s, k), 'America/New_York'))).toEqual(['2026-11-01T00:15', '2026-11-03T00:15', '2026-11-05T00:15']);
  });

  it('repeats every N elapsed hours across a DST change', () => {
    const s: ScheduleSpec = { startLocal: '2026-03-29T00:00', timeZone: 'Europe/Paris', every: 1, unit: 'hours' };
    const slots = Array.from({ length: 5 }, (_, k) => slotAt(s, k).getTime());
    for (let k = 1; k < slots.length; k++) expect(slots[k] - slots[k - 1]).toBe(3600_000);
    expect(local(new Date(slots[3]), 'Europe/Paris')).toBe('2026-03-29T04:00'); // 00, 01, 03 (02 skipped), 04
  });

  it('finds the next slot after and the last slot at or before an instant', () => {
    const s: ScheduleSpec = { startLocal: '2026-01-01T06:00', timeZone: 'Asia/Tokyo', every: 1, unit: 'days' };
    const t = new Date('2026-06-10T12:00:00Z'); // 21:00 in Tokyo
    expect(local(nextSlotAfter(s, t), 'Asia/Tokyo')).toBe('2026-06-11T06:00');
    expect(local(lastSlotAtOrBefore(s, t)!, 'Asia/Tokyo')).toBe('2026-06-10T06:00');
    expect(lastSlotAtOrBefore(s, new Date('2025-12-31T00:00:00Z'))).toBeNull();
    expect(local(nextSlotAfter(s, new Date('2025-12-31T00:00:00Z')), 'Asia/Tokyo')).toBe('2026-01-01T06:00');
    const exact = slotAt(s, 10);
    expect(lastSlotAtOrBefore(s, exact)!.getTime()).toBe(exact.getTime());
    expect(nextSlotAfter(s, exact).getTime()).toBe(slotAt(s, 11).getTime());
  });
});
