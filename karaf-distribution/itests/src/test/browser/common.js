// What the browser scripts share: Debian's chromium as this machine allows it, the wait for the
// page, and a run that reports "FAIL reason" (with a screenshot) and exit 1 on any failure.
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const WAIT = { timeout: 120_000 };

// Without the background-networking flags chromium keeps dialling out, which this closed network refuses.
function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Runs body(browser, setPage): any failure is reported with a screenshot of the page set last. */
async function run(body) {
  setTimeout(() => { console.log('FAIL the browser test ran out of time'); process.exit(1); }, 300_000).unref();
  const browser = await launch();
  let page;
  try {
    await body(browser, (p) => { page = p; });
  } catch (e) {
    console.log('FAIL ' + String(e.message || e).split('\n')[0]);
    if (page) await page.screenshot({ path: path.join(process.env.OUT_DIR, 'failure.png'), fullPage: true }).catch(() => {});
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

module.exports = { WAIT, run };
