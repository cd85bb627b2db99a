// Browser test of the visual explorer at /explore, in a real (headless) Chromium.
//
// It starts no server: GOVGRAPH_URL names a running one (e.g. http://127.0.0.1:8080).
// Screenshots go to SCREENSHOT_DIR (default: ./screenshots). CHROMIUM overrides
// the browser's path (default /usr/bin/chromium). Exits non-zero on any failure.
//
//   GOVGRAPH_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=/tmp/shots node explore.test.mjs

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { check, failures, launch, screenshotDir, serverUrl } from './harness.mjs';

const base = serverUrl('explore.test');
const shots = screenshotDir();
const origin = new URL(base).origin;

const browser = await launch();

let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);

  const pageErrors = [];
  const foreign = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });

  const shot = async (name) => {
    const path = join(shots, name);
    await page.screenshot({ path });
    console.log(`  shot ${path}`);
  };
  const nodeCount = () => page.locator('#nodes g.node').count();

  // 1. The page loads, on its own.
  console.log('explorer page');
  const response = await page.goto(`${base}/explore`);
  check(response && response.ok(), '/explore answers 200');
  await page.waitForSelector('body[data-ready="true"]');
  check(await page.locator('#search-main').isVisible(), 'the search box is visible');

  // 2. Search "Migration Code" and choose it with the keyboard.
  console.log('search and neighbourhood');
  await page.locator('#search-main').click();
  await page.keyboard.type('Migration Code', { delay: 20 });
  const firstOption = page.locator('#results-main li[role="option"][data-id]').first();
  await firstOption.waitFor();
  // On a loaded machine the debounce can fire mid-typing and paint the
  // results of a prefix first: wait for the answer to the whole text.
  await page
    .waitForFunction(() => {
      const first = document.querySelector('#results-main li[role="option"][data-id]');
      return first && first.textContent.includes('Migration Code');
    }, null, { timeout: 15000 })
    .catch(() => {});
  check((await firstOption.textContent()).includes('Migration Code'), 'the first search result is the Migration Code');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#nodes g.node').length > 3);
  await page.waitForSelector('#details blockquote.quote');
  const neighbourhoodNodes = await nodeCount();
  check(neighbourhoodNodes > 3, `the neighbourhood is drawn (${neighbourhoodNodes} nodes)`);
  const edgeLabels = await page.locator('#labels text.edge-label').count();
  check(edgeLabels > 0, `relation types label the edges (${edgeLabels} shown)`);
  const legendText = await page.locator('#legend').innerText();
  check(legendText.includes('Law') && legendText.includes('Topic'), 'the legend names the kinds drawn');
  const shapes = await page.locator('#nodes g.node').evaluateAll((gs) => new Set(gs.map((g) => g.dataset.shape)).size);
  const legendShapes = await page.locator('#legend li svg.swatch').count();
  check(shapes >= 3 && legendShapes === shapes, `kinds are drawn in ${shapes} shapes, one legend entry per family drawn (${legendShapes})`);
  await shot('01-neighbourhood.png');

  // The relation list is grouped by readable type and direction, and filters.
  const groupHeads = await page.locator('#details .rel-group h4').allInnerTexts();
  check(groupHeads.length > 1 && groupHeads.every((h) => !/[A-Z]_[A-Z]/.test(h)), `relations come in groups with readable names (${groupHeads.slice(0, 4).join(' | ')})`);
  const allItems = await page.locator('#details .rel-group li[data-relation]').count();
  await page.locator('#relation-filter').fill('State Migration');
  const filtered = await page.locator('#details .rel-group li[data-relation]').count();
  check(filtered > 0 && filtered < allItems, `the filter narrows the relation list (${allItems} → ${filtered})`);
  await page.locator('#relation-filter').fill('');
  await page.locator('#relation-group').selectOption({ index: 1 });
  const oneGroup = await page.locator('#details .rel-group').count();
  check(oneGroup === 1, 'choosing a type shows that group only');
  await page.locator('#relation-group').selectOption({ index: 0 });

  // A relation opens its card: both ends, the readable type, the quote, and
  // the paragraph of the profile around it.
  await page.locator('#details .rel-group li[data-relation] button', { hasText: 'Card' }).first().click();
  await page.waitForFunction(() => document.querySelector('#details .kind-badge')?.textContent === 'Relation');
  const cardTitle = (await page.locator('#details h2').textContent()).replace(/\s+/g, ' ').trim();
  check(/\S+ .+ \S+/.test(cardTitle) && !/[A-Z]_[A-Z]/.test(cardTitle), `the relation card names both ends and the type (${cardTitle})`);
  await page.locator('#details .show-context').first().click();
  await page.waitForSelector('#details .context .paragraph mark', { timeout: 5000 });
  const paragraph = await page.locator('#details .context .paragraph').innerText();
  const marked = await page.locator('#details .context mark').innerText();
  check(paragraph.length > marked.length && paragraph.includes(marked), `"show context" shows the paragraph around the quote (${paragraph.length} characters, the quote marked)`);
  await shot('01b-relation-card-context.png');

  // A click on a drawn relation opens its card too.
  const edgePoint = await page.evaluate(() => {
    const hit = document.querySelector('#edges g.link .edge-hit');
    const point = hit.getPointAtLength(hit.getTotalLength() / 2);
    const m = hit.getScreenCTM();
    return { x: point.x * m.a + point.y * m.c + m.e, y: point.x * m.b + point.y * m.d + m.f };
  });
  await page.mouse.click(edgePoint.x, edgePoint.y);
  await page.waitForFunction(() => document.querySelector('#details .kind-badge')?.textContent === 'Relation', null, { timeout: 5000 });
  check(await page.locator('#details blockquote.quote').count() > 0, 'clicking a drawn relation opens its card with the quote');

  // 3. Open a node: its details and evidence.
  console.log('details and evidence');
  const target = page.locator('#nodes g.node[data-id="institution:government-of-azerbaijan"] .shape');
  const hasTarget = (await target.count()) > 0;
  const clickNode = hasTarget ? target : page.locator('#nodes g.node:not(.center) .shape').first();
  await clickNode.click({ force: true });
  await page.waitForFunction(() => {
    const h = document.querySelector('#details h2');
    return h && !h.textContent.includes('Migration Code');
  });
  await page.waitForSelector('#details blockquote.quote');
  const detailsName = await page.locator('#details h2').first().textContent();
  const quote = (await page.locator('#details blockquote.quote').first().textContent()).trim();
  const section = (await page.locator('#details .section').first().textContent()).trim();
  check(quote.length > 10, `the details of "${detailsName}" show an evidence quote: ${quote.slice(0, 70)}…`);
  check(/^Section \S+/.test(section), `the quote carries its section (${section})`);
  const detailsText = await page.locator('#details').innerText();
  check(/Kind/.test(detailsText) && /Year/.test(detailsText) && /Aliases/.test(detailsText), 'the details list kind, year and aliases');
  const beforeExpand = await nodeCount();
  await page.locator('#expand-btn').click();
  await page.waitForFunction((n) => document.querySelectorAll('#nodes g.node').length > n, beforeExpand).catch(() => {});
  const afterExpand = await nodeCount();
  check(afterExpand > beforeExpand, `"Expand neighbours" adds nodes in place (${beforeExpand} → ${afterExpand})`);
  await shot('02-details-expanded.png');

  // The drawing works from the keyboard: N focuses the biggest hub, Enter opens it.
  await page.locator('#graph').focus();
  await page.keyboard.press('n');
  const focusedId = await page.locator('#nodes g.node.focused').getAttribute('data-id');
  check(Boolean(focusedId), `N focuses a node from the keyboard (${focusedId})`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('#nodes g.node.selected')?.dataset.id === id, focusedId);
  await page.waitForSelector('#details blockquote.quote');
  check(true, 'Enter opens the focused node');
  await page.keyboard.press('+');
  await page.keyboard.press('0');

  // 4. Partnership network, then move the year slider.
  console.log('partnership network');
  await page.locator('#tab-partnerships').click();
  await page.waitForFunction(() => document.querySelectorAll('#edges path.edge.network').length > 0, null, { timeout: 30000 });
  const linksNow = await page.locator('#edges path.edge.network').count();
  const yearNow = Number(await page.locator('#year').inputValue());
  check(linksNow > 0, `the partnership network is drawn (${linksNow} links as of ${yearNow})`);
  const widths = await page.locator('#edges path.edge.network').evaluateAll((paths) => new Set(paths.map((p) => p.getAttribute('stroke-width'))).size);
  check(widths > 1, `link widths vary with weight (${widths} widths)`);
  check((await page.locator('#legend').innerText()).includes('Shared agreements'), 'the legend explains link widths');
  // A real mouse click on the middle of the widest link opens its agreements.
  const middle = await page.evaluate(() => {
    const links = [...document.querySelectorAll('#edges path.edge.network')];
    const widest = links.reduce((a, b) => (Number(b.getAttribute('stroke-width')) > Number(a.getAttribute('stroke-width')) ? b : a));
    const point = widest.getPointAtLength(widest.getTotalLength() / 2);
    const m = widest.getScreenCTM();
    return { x: point.x * m.a + point.y * m.c + m.e, y: point.x * m.b + point.y * m.d + m.f, title: widest.querySelector('title').textContent };
  });
  await page.mouse.click(middle.x, middle.y);
  await page.waitForFunction(() => document.querySelector('#details .kind-badge')?.textContent === 'Partnership', null, { timeout: 5000 });
  await page.waitForSelector('#details li.agreement', { timeout: 10000 });
  const agreements = await page.locator('#details li.agreement').count();
  const linkQuotes = await page.locator('#details li.agreement blockquote.quote').count();
  check(agreements > 0 && linkQuotes >= agreements, `clicking a link lists its agreements with the quotes that make both parties (${middle.title}: ${agreements} agreements, ${linkQuotes} quotes)`);
  await shot('03a-partnership-link.png');
  await shot('03-partnerships.png');
  await page.locator('#year').focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('PageDown');
  const yearThen = Number(await page.locator('#year').inputValue());
  check(yearThen < yearNow, `the year slider moves with the keyboard (${yearNow} → ${yearThen})`);
  await page.waitForFunction((y) => document.querySelector('#network-summary').textContent.includes(`as of ${y}`), yearThen);
  const linksThen = await page.locator('#edges path.edge.network').count();
  check(linksThen <= linksNow, `the network as of ${yearThen} has no more links than in ${yearNow} (${linksThen} ≤ ${linksNow})`);
  await shot('04-partnerships-earlier-year.png');
  const topics = await page.locator('#topic option').allTextContents();
  const topic = topics.find((t) => /labour migration/i.test(t)) || topics[1];
  if (topic) {
    await page.locator('#topic').selectOption({ label: topic });
    await page.waitForFunction((t) => document.querySelector('#network-summary').textContent.includes(`on ${t}`), topic);
    const topicLinks = await page.locator('#edges path.edge.network').count();
    check(topicLinks <= linksNow, `the topic filter narrows the network (${topic}: ${topicLinks} links)`);
    await shot('04b-partnerships-topic.png');
  }

  // Only the profile country's partners: every link touches it.
  await page.locator('#tab-partnerships').click();
  await page.locator('#mode-partners').check();
  await page.waitForFunction(() => /partners, \d+ links/.test(document.querySelector('#network-summary').textContent) && document.querySelector('#network-summary').textContent.includes(' and '));
  const starLinks = await page.locator('#edges g.link').evaluateAll((gs) => gs.map((g) => g.dataset.key));
  check(starLinks.length > 0 && starLinks.every((k) => k.split('~').includes('country:AZE')), `"only Azerbaijan's partners" draws only its links (${starLinks.length})`);
  const topicLegend = await page.locator('#legend').innerText();
  check(/Links by main topic/.test(topicLegend), 'links are coloured by their main topic, with a legend');
  await shot('04c-partners-only.png');
  // The play button steps through the years.
  const before = Number(await page.locator('#year').inputValue());
  await page.locator('#play').click();
  await page.waitForTimeout(2200);
  const during = Number(await page.locator('#year').inputValue());
  await page.locator('#play').click();
  check(during !== before, `the play button steps the year (${before} → ${during})`);
  check(new URL(page.url()).searchParams.get('mode') === 'partners', 'the mode is in the URL');
  await page.locator('#mode-coparty').check();

  // 5. How are two entities connected?
  console.log('connection');
  await page.locator('#tab-connection').click();
  for (const [which, text] of [['from', 'Public Council'], ['to', 'Migration Code']]) {
    await page.locator(`#search-${which}`).fill('');
    await page.locator(`#search-${which}`).pressSequentially(text, { delay: 15 });
    await page.locator(`#results-${which} li[role="option"][data-id]`).first().waitFor();
    await page.locator(`#search-${which}`).press('Enter');
  }
  await page.locator('#find-paths').click();
  await page.waitForSelector('#details .path-card');
  await page.waitForSelector('#details .path-card');
  const hops = await page.locator('#details .path-card').first().locator('.hop').count();
  const hopQuotes = await page.locator('#details .path-card').first().locator('blockquote.quote').count();
  check(hops > 0 && hopQuotes >= hops, `a path is shown in the wide panel with evidence on every hop (${hops} hops, ${hopQuotes} quotes)`);
  const pathSummary = await page.locator('#paths-out .summary').innerText();
  check(/^Up to 10 paths, shortest first/.test(pathSummary), `the summary says what was asked (${pathSummary})`);
  await shot('05-connection.png');
  // Avoiding hubs: no path passes through the five best-connected entities.
  await page.locator('#search-from').fill('');
  await page.locator('#search-from').pressSequentially('State Border Service', { delay: 15 });
  await page.locator('#results-from li[role="option"][data-id]').first().waitFor();
  await page.locator('#search-from').press('Enter');
  await page.locator('#avoid-hubs').check();
  await page.locator('#path-k').selectOption('3');
  await page.locator('#find-paths').click();
  await page.waitForFunction(() => /avoiding/.test(document.querySelector('#paths-out .summary')?.textContent || ''), null, { timeout: 15000 });
  const avoidedText = await page.locator('#paths-out .summary').innerText();
  const avoidedNames = avoidedText.replace(/.*avoiding /, '').split(', ');
  const pathTexts = await page.locator('#paths-out .path-pick').allInnerTexts();
  const through = pathTexts.filter((t) => avoidedNames.some((n) => t.split(' → ').slice(1, -1).includes(n)));
  check(pathTexts.length <= 3 && through.length === 0, `with hubs avoided, ${pathTexts.length} paths, none through ${avoidedNames.join(', ')}`);
  const pathUrl = new URL(page.url()).searchParams;
  check(pathUrl.get('avoid') === 'hubs' && pathUrl.get('k') === '3', 'the path options are in the URL');
  await shot('05b-connection-avoiding-hubs.png');
  const pathGexf = await (async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="GEXF"]').click()]);
    const path = join(shots, `path-${download.suggestedFilename()}`);
    await download.saveAs(path);
    return readFileSync(path, 'utf8');
  })();
  check(pathGexf.includes('viz:position') && pathGexf.includes('evidence'), 'a path export keeps the positions and the evidence');
  await page.locator('#avoid-hubs').uncheck();
  await page.locator('#path-k').selectOption('10');

  // 6. The whole graph stays readable: labels never overlap.
  console.log('whole graph');
  await page.locator('#tab-whole').click();
  await page.waitForFunction(() => document.querySelectorAll('#nodes g.node').length > 100, null, { timeout: 60000 });
  const whole = await nodeCount();
  const labelBoxes = await page.locator('#labels text').evaluateAll((texts) => texts.map((t) => {
    const b = t.getBBox();
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  }));
  let overlaps = 0;
  for (let i = 0; i < labelBoxes.length; i += 1) {
    for (let j = i + 1; j < labelBoxes.length; j += 1) {
      const a = labelBoxes[i];
      const b = labelBoxes[j];
      const ox = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
      const oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (ox > 2 && oy > 2) overlaps += 1;
    }
  }
  check(whole > 100, `the whole graph is drawn (${whole} nodes)`);
  check(labelBoxes.length >= 10 && labelBoxes.length < whole, `hub labels are shown, not all of them (${labelBoxes.length} of ${whole})`);
  check(overlaps === 0, `no two labels overlap (${overlaps} overlaps)`);
  const labelled = await page.locator('#labels text.node-label').evaluateAll((texts) => texts.map((t) => t.dataset.id));
  const topHubs = await page.evaluate(async () => {
    const r = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ centrality(measure: DEGREE, first: 3) { entity { id } } }' }) });
    return (await r.json()).data.centrality.map((c) => c.entity.id);
  });
  const missingHubs = topHubs.filter((id) => !labelled.includes(id));
  check(missingHubs.length === 0, `the three biggest hubs are labelled in the fitted whole graph${missingHubs.length ? ` (missing ${missingHubs.join(', ')})` : ''}`);
  await shot('06-whole-graph.png');

  // Zoom in with the wheel: more labels fit.
  const svgBox = await page.locator('#graph').boundingBox();
  await page.mouse.move(svgBox.x + svgBox.width / 2, svgBox.y + svgBox.height / 2);
  for (let i = 0; i < 4; i += 1) await page.mouse.wheel(0, -240);
  await page.waitForTimeout(300);
  const zoomedLabels = await page.locator('#labels text').count();
  check(zoomedLabels > 0, `zooming in keeps labels readable (${zoomedLabels} labels)`);
  await shot('07-whole-graph-zoomed.png');

  // 7. Exports of the current view.
  console.log('exports');
  const grab = async (format) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`[data-export="${format}"]`).click(),
    ]);
    const path = join(shots, download.suggestedFilename());
    await download.saveAs(path);
    return path;
  };
  const graphml = readFileSync(await grab('GRAPHML'), 'utf8');
  check(graphml.includes('<graphml') && graphml.includes('key="x"') && graphml.includes('key="evidence"'), 'GraphML export carries positions and evidence');
  const gexf = readFileSync(await grab('GEXF'), 'utf8');
  const vizPositions = (gexf.match(/<viz:position /g) || []).length;
  check(gexf.includes('<gexf') && gexf.includes('<viz:color') && vizPositions === whole, `GEXF export is styled: viz colours, sizes and a position per node (${vizPositions})`);
  const dot = readFileSync(await grab('DOT'), 'utf8');
  check(/^digraph/.test(dot) && dot.includes('pos="') && dot.includes('fillcolor='), 'DOT export is offered, with positions and colours');
  const cyjs = readFileSync(await grab('CYTOSCAPE_JSON'), 'utf8');
  let cyOk = false;
  try {
    const parsed = JSON.parse(cyjs);
    cyOk = Boolean(parsed.elements && parsed.elements.nodes.every((n) => n.position && n.data.color));
  } catch (_) { /* checked below */ }
  check(cyOk, 'Cytoscape JSON export carries a position and a colour per node');
  const svgText = readFileSync(await grab('SVG'), 'utf8');
  const drawnShapes = (svgText.match(/class="shape"/g) || []).length;
  check(svgText.includes('<svg') && drawnShapes === whole && svgText.includes('class="label caption"') && svgText.includes('whole graph'), `SVG export holds the whole drawing (${drawnShapes} nodes) with a caption`);
  const pngPath = await grab('PNG');
  const png = readFileSync(pngPath);
  check(png.subarray(1, 4).toString() === 'PNG' && statSync(pngPath).size > 10000, `PNG export downloads an image (${statSync(pngPath).size} bytes)`);

  // 8. The view lives in the URL: a shared link opens it, Back returns to it.
  console.log('view state in the URL');
  const sms = 'institution:state-migration-service';
  await page.goto(`${base}/explore?view=neighbourhood&id=${encodeURIComponent(sms)}&depth=2`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction((id) => document.querySelector(`#nodes g.node[data-id="${id}"]`), sms, { timeout: 15000 });
  check(await page.locator('#depth').inputValue() === '2', 'a link with depth=2 opens the 2-hop neighbourhood');
  check((await page.locator('#status').innerText()).includes('within 2 hops'), 'the status names the two hops');
  await page.locator('#tab-partnerships').click();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('view') === 'partnerships');
  check(true, 'switching to the partnership view changes the URL');
  await page.goBack();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('view') === 'neighbourhood');
  await page.waitForFunction(() => document.querySelector('#tab-neighbourhood').getAttribute('aria-selected') === 'true');
  check(await page.locator(`#nodes g.node[data-id="${sms}"]`).count() === 1, 'Back returns to the neighbourhood of the State Migration Service');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction((id) => document.querySelector(`#nodes g.node[data-id="${id}"]`), sms, { timeout: 15000 });
  check(new URL(page.url()).searchParams.get('id') === sms, 'a reload keeps the centre');
  await shot('08-url-state.png');
  await page.goto(`${base}/explore?view=connection&from=${encodeURIComponent('institution:public-council')}&to=${encodeURIComponent('law:migration-code')}&k=3`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#details .path-card', { timeout: 15000 }).catch(() => {});
  const sharedPaths = await page.locator('#paths-out .path-pick').count();
  check(await page.locator('#path-k').inputValue() === '3' && sharedPaths > 0 && sharedPaths <= 3, `a shared connection link searches again with its options (${sharedPaths} paths)`);

  // 1280×720: nothing hidden, the partnership view included.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${base}/explore?view=partnerships`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction(() => document.querySelectorAll('#edges path.edge.network').length > 0, null, { timeout: 30000 });
  await page.waitForTimeout(300);
  const hidden = await page.evaluate(() => {
    const status = document.querySelector('#status').getBoundingClientRect();
    const stage = document.querySelector('#graph').getBoundingClientRect();
    return [...document.querySelectorAll('#labels text')].filter((t) => {
      const b = t.getBoundingClientRect();
      const under = !(b.right < status.left || b.left > status.right || b.bottom < status.top || b.top > status.bottom);
      const outside = b.left < stage.left || b.right > stage.right || b.top < stage.top || b.bottom > stage.bottom;
      return under || outside;
    }).map((t) => t.textContent);
  });
  check(hidden.length === 0, `at 1280×720 no label is under the status line or off the drawing${hidden.length ? ` (${hidden.join(', ')})` : ''}`);
  await shot('09-partnerships-1280x720.png');

  check(foreign.length === 0, `no request leaves the server's origin${foreign.length ? `: ${foreign.join(', ')}` : ''}`);
  check(pageErrors.length === 0, `no script errors${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`);
} catch (error) {
  failures.push(String(error && error.stack ? error.stack : error));
  console.error(`  FAIL ${error && error.stack ? error.stack : error}`);
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(`explore.test: ${failures.length} failure(s)`);
  exitCode = 1;
} else {
  console.log(`explore.test: all checks passed; screenshots in ${shots}`);
}
process.exit(exitCode);
