// Run the pressnews trainings map spec with Vega 5 (what Kibana bundles) outside Kibana; see
// bench/vega_map_sample.py for how to run it.
// Render the pressnews trainings map spec headlessly with Vega 5 (what Kibana bundles),
// the Elasticsearch `url` replaced by a response of the same shape. Prints a summary, writes SVG.
const vega = require('vega');
const fs = require('fs');
const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const response = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
for (const d of spec.data) {
  if (d.url && typeof d.url === 'object') { d.values = response; delete d.url; d.format = {type: 'json', property: d.format.property}; }
}
spec.width = 560; spec.height = 760; spec.autosize = 'none';
const view = new vega.View(vega.parse(spec), {renderer: 'none'});
view.runAsync().then(async () => {
  const out = {};
  for (const name of ['trainings', 'provinces', 'islands', 'archipelagos']) out[name] = view.data(name).length;
  const t = view.data('trainings').map(d => [d.key, d.doc_count, Math.round(d.x), Math.round(d.y)]);
  const isl = view.data('islands').map(d => [Math.round(d.x), Math.round(d.y)]);
  console.log(JSON.stringify({counts: out, trainings: t, islands_xy: isl}));
  fs.writeFileSync(process.argv[4], await view.toSVG());
}).catch(e => { console.error('VEGA ERROR', e); process.exit(1); });
