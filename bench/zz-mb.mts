import { DateTime } from 'luxon';
const N = 30000;
const iso: string[] = [], isoZ: string[] = [], fmt: string[] = [], local: string[] = [];
for (let i = 0; i < N; i++) { const d = new Date(Date.UTC(2026,0,1) + i*977_000); const p=(n:number)=>String(n).padStart(2,'0');
 iso.push(d.toISOString().slice(0,19)+'+00:00'); isoZ.push(d.toISOString().slice(0,19)+'Z'); local.push(d.toISOString().slice(0,19));
 fmt.push(`${p(d.getUTCMonth()+1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`); }
const time = (name: string, f: (v: string) => unknown, vals: string[]) => { for (let r=0;r<2;r++){ const t = performance.now(); for (const v of vals) f(v); if(r) console.log(name.padEnd(40), ((performance.now()-t)*1000/vals.length).toFixed(2), 'µs'); } };
time('fromISO iso+00:00 zone Chicago', (v) => DateTime.fromISO(v, { zone: 'America/Chicago', setZone: true }).toJSDate(), iso);
time('fromISO iso+00:00 zone UTC', (v) => DateTime.fromISO(v, { zone: 'UTC', setZone: true }).toJSDate(), iso);
time('fromISO Z zone Chicago', (v) => DateTime.fromISO(v, { zone: 'America/Chicago', setZone: true }).toJSDate(), isoZ);
time('fromISO local zone Chicago', (v) => DateTime.fromISO(v, { zone: 'America/Chicago', setZone: true }).toJSDate(), local);
time('fromISO fmt-string (invalid) Chicago', (v) => DateTime.fromISO(v, { zone: 'America/Chicago', setZone: true }).isValid, fmt);
time('fromFormat Chicago', (v) => DateTime.fromFormat(v, 'MM/dd/yyyy HH:mm', { zone: 'America/Chicago', setZone: true }).toJSDate(), fmt);
time('fromFormat UTC', (v) => DateTime.fromFormat(v, 'MM/dd/yyyy HH:mm', { zone: 'UTC', setZone: true }).toJSDate(), fmt);
const p = DateTime.buildFormatParser('MM/dd/yyyy HH:mm', {});
time('fromFormatParser Chicago', (v) => DateTime.fromFormatParser(v, p, { zone: 'America/Chicago', setZone: true }).toJSDate(), fmt);
time('fromFormatParser UTC', (v) => DateTime.fromFormatParser(v, p, { zone: 'UTC', setZone: true }).toJSDate(), fmt);
time('new Date', (v) => new Date(v), iso);
