// node lat-child.tmp.js <core|raw> <kind classic|shard>
const [, , which, kind] = process.argv;
const nodes = process.env.REDIS_CLUSTER_NODES.split(',');
const channel = kind === 'shard' ? 'lat:{s}' : 'lat:c';
(async () => {
  let publish, close;
  const origin = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - origin);
  const samples = []; let countedFrom = Infinity;
  const onPayload = (p) => { const s = parseInt(p, 10); if (s >= countedFrom) samples.push(since() - s); };
  if (which === 'raw') {
    const Redis = require('ioredis'); const calc = require('cluster-key-slot');
    const probe = new Redis(nodes[0]); const slots = await probe.cluster('SLOTS'); probe.disconnect();
    const slot = calc(channel); let owner; for (const [a, b, [h, p]] of slots) if (slot >= a && slot <= b) owner = { host: h, port: p };
    const sub = new Redis(owner), pub = new Redis(owner);
    if (kind === 'shard') { await sub.ssubscribe(channel); sub.on('smessage', (_c, m) => onPayload(m)); publish = (m) => pub.spublish(channel, m); }
    else { await sub.subscribe(channel); sub.on('message', (_c, m) => onPayload(m)); publish = (m) => pub.publish(channel, m); }
    close = () => { sub.disconnect(); pub.disconnect(); };
  } else {
    const { RedisCluster } = require(which);
    const rc = new RedisCluster({ startupNodes: nodes });
    const from = kind === 'shard' ? rc.fromShardChannel : rc.fromChannel;
    await new Promise((ok) => from(channel, { ignoreSubscribeMessages: false }).subscribe((m) => (typeof m.data === 'number' ? ok() : onPayload(m.data))));
    publish = (m) => (kind === 'shard' ? rc.spublish(channel, m) : rc.publish(channel, m));
    close = () => rc.close();
  }
  let session;
  if (process.env.ALLOC) { const inspector = require('inspector'); session = new inspector.Session(); session.connect(); await new Promise((r) => session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true }, r)); }
  const rate = 2000, dur = 3000, warm = 1000; let sent = 0; const start = performance.now();
  await new Promise((done) => { const tick = () => { const el = performance.now() - start; if (el >= dur + warm) return done(); if (countedFrom === Infinity && el >= warm) countedFrom = since(); const due = Math.floor(el * rate / 1000); for (; sent < due; sent++) void publish(String(since()).padEnd(64, '.')); setTimeout(tick, 1); }; tick(); });
  await new Promise((r) => setTimeout(r, 300));
  if (session) await new Promise((r) => session.post('HeapProfiler.stopSampling', (e, res) => { require('fs').writeFileSync(process.env.ALLOC, JSON.stringify(res.profile)); r(); }));
  samples.sort((a, b) => a - b);
  const q = (f) => samples[Math.min(samples.length - 1, Math.floor(f * samples.length))] / 1000;
  console.log(JSON.stringify({ p50: q(0.5), p99: q(0.99), n: samples.length }));
  await close(); process.exit(0);
})();
