// Browser test of the GraphQL console at / (GraphiQL built into the binary), and
// of CORS from a page on another origin, in a real (headless) Chromium.
//
// It starts no govgraph server: GOVGRAPH_URL names a running one that allows any
// origin; GOVGRAPH_STRICT_URL (optional) one that allows only an origin other
// than the page's, so the page's call must be refused. It serves the cross-origin
// page itself, on another loopback port. Exits non-zero on any failure.
//
//   GOVGRAPH_URL=http://127.0.0.1:8080 node console.test.mjs

import { createServer } from 'node:http';
import { join } from 'node:path';
import { check, failures, launch, screenshotDir, serverUrl } from './harness.mjs';

const base = serverUrl('console.test');
const strict = (process.env.GOVGRAPH_STRICT_URL || '').replace(/\/+$/, '');
const shots = screenshotDir();
const origin = new URL(base).origin;

const browser = await launch();

// The text of the CodeMirror editor inside `selector`.
const editorText = (page, selector) =>
  page.$eval(`${selector} .CodeMirror`, (el) => el.CodeMirror.getValue());

async function consoleChecks(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const pageErrors = [];
  const foreign = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });

  console.log('console: loads GraphiQL from the binary');
  await page.goto(`${base}/`);
  await page.waitForSelector('.graphiql-container');
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  check(await page.locator('a[href="/explore"]').count() === 1, 'links to the visual explorer');

  console.log('console: schema-aware autocomplete while typing');
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.$eval('.graphiql-query-editor .CodeMirror', (el) => el.CodeMirror.setValue(''));
  await page.keyboard.type('{ ent');
  const hints = await page.waitForSelector('.CodeMirror-hints', { timeout: 10000 }).then(
    () => page.$$eval('.CodeMirror-hints li', (items) => items.map((li) => li.textContent)),
    () => []);
  check(hints.some((h) => h.startsWith('entity')) && hints.some((h) => h.startsWith('entities')),
    `autocomplete offers entity and entities (got ${JSON.stringify(hints.slice(0, 5))})`);
  await page.keyboard.press('Escape');

  console.log('console: validation as you type');
  await page.$eval('.graphiql-query-editor .CodeMirror', (el) => el.CodeMirror.setValue('{ stats { nosuchfield } }'));
  const lint = await page.waitForSelector('.CodeMirror-lint-mark-error, .CodeMirror-lint-mark', { timeout: 10000 }).then(() => true, () => false);
  check(lint, 'an unknown field is marked as an error');
  await page.screenshot({ path: join(shots, 'console-01-typing.png') });

  console.log('console: documentation of Entity.relations');
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:text-is("Query")');
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-field-name:text-is("entity")');
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:text-is("Entity")');
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-field-name:text-is("relations")');
  const doc = await page.textContent('.graphiql-doc-explorer');
  check(/Relations at this entity, in id order, page by page/.test(doc), 'the docs show the description of Entity.relations');
  check(/direction/.test(doc) && /Direction/.test(doc), 'the docs list the arguments of Entity.relations');
  await page.screenshot({ path: join(shots, 'console-02-docs.png') });

  console.log('console: run a query and see the result');
  const query = 'query Implementers {\n  implementations(instrument: "law:migration-code") {\n    agency { name }\n    type\n  }\n}';
  await page.$eval('.graphiql-query-editor .CodeMirror', (el, q) => el.CodeMirror.setValue(q), query);
  await page.click('button.graphiql-execute-button');
  await page.waitForFunction(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror');
    return el && el.CodeMirror.getValue().includes('"implementations"');
  });
  const result = await editorText(page, '.graphiql-response');
  check(result.includes('State Migration Service'), 'the result names the State Migration Service');
  await page.screenshot({ path: join(shots, 'console-03-result.png') });

  console.log('console: the query is in a shareable URL and survives a reload, with history');
  const url = page.url();
  check(new URL(url).searchParams.get('query') === query, 'the address holds the query');
  const shared = await context.newPage();
  await shared.goto(url);
  await shared.waitForSelector('.graphiql-query-editor .CodeMirror');
  check(await editorText(shared, '.graphiql-query-editor') === query, 'opening the link restores the query');
  await shared.close();
  await page.reload();
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  check(await editorText(page, '.graphiql-query-editor') === query, 'a reload keeps the query');
  await page.click('button[aria-label="Show History"]');
  const history = await page.textContent('.graphiql-history');
  check(history.includes('Implementers'), 'the history lists the operation run before the reload');

  console.log('console: prettify');
  await page.$eval('.graphiql-query-editor .CodeMirror', (el) => el.CodeMirror.setValue('{stats{entities relations}}'));
  await page.click('button[aria-label^="Prettify query"]');
  const pretty = await editorText(page, '.graphiql-query-editor');
  check(pretty === '{\n  stats {\n    entities\n    relations\n  }\n}', `prettify formats the query (got ${JSON.stringify(pretty)})`);

  console.log('console: examples');
  await page.click('button[aria-label="Show Examples"]');
  const titles = await page.$$eval('[data-example]', (buttons) => buttons.map((b) => b.dataset.example));
  check(titles.length >= 5, `examples are listed (${titles.length})`);
  for (const field of ['implementations', 'path', 'partnershipNetwork']) {
    let found = false;
    for (const title of titles) {
      await page.click(`[data-example="${title}"]`);
      if ((await editorText(page, '.graphiql-query-editor')).includes(`${field}(`)) { found = true; break; }
    }
    check(found, `an example uses ${field}`);
  }
  await page.click('[data-example^="Partnership network"]');
  const variables = await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)').catch(() => '');
  check(variables.includes('pension'), 'choosing an example also sets its variables');
  await page.click('button.graphiql-execute-button');
  await page.waitForFunction(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror');
    return el && el.CodeMirror.getValue().includes('"partnershipNetwork"');
  }).catch(async (error) => {
    await page.screenshot({ path: join(shots, 'console-failed.png') });
    console.error(await editorText(page, '.graphiql-response'));
    throw error;
  });
  check((await editorText(page, '.graphiql-response')).includes('Georgia'), 'the pension network example runs and names Georgia');
  await page.screenshot({ path: join(shots, 'console-04-example.png') });

  check(foreign.length === 0, `nothing is fetched from elsewhere (${foreign.slice(0, 3).join(', ')})`);
  check(pageErrors.length === 0, `no JavaScript errors (${pageErrors.slice(0, 3).join(' | ')})`);
  await page.close();
}

// A page on another loopback origin that calls govgraph with fetch, as a
// notebook or a React app would.
async function corsChecks(context) {
  const page404 = '<!doctype html><title>another origin</title><p>another origin</p>';
  const other = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page404);
  });
  await new Promise((ready) => other.listen(0, '127.0.0.1', ready));
  const pageOrigin = `http://127.0.0.1:${other.address().port}`;
  try {
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/`);
    const call = (url) => page.evaluate(async (endpoint) => {
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ stats { entities } }' }),
        });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        return { error: String(error) };
      }
    }, `${url}/graphql`);
    console.log(`cors: a page on ${pageOrigin} calls ${origin}`);
    const allowed = await call(base);
    check(allowed.status === 200 && allowed.body?.data?.stats?.entities > 0,
      `a cross-origin POST (with preflight) is answered (${JSON.stringify(allowed).slice(0, 120)})`);
    if (strict) {
      console.log(`cors: ${strict} does not allow ${pageOrigin}`);
      const refused = await call(strict);
      check(refused.error !== undefined, `the browser refuses the answer of a server that does not list the origin (${JSON.stringify(refused).slice(0, 120)})`);
    }
    await page.close();
  } finally {
    other.close();
  }
}

let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await consoleChecks(context);
  await corsChecks(context);
} catch (error) {
  failures.push(String(error && error.stack || error));
  console.error(error);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} failed:\n- ${failures.join('\n- ')}`);
  exitCode = 1;
} else {
  console.log('console.test: all checks passed');
}
process.exit(exitCode);
