// Karma runs the unit tests in real headless Chromium: real WebCrypto and IndexedDB.
// CHROME_BIN picks the browser (CI: Debian's /usr/bin/chromium; a laptop: any Chrome).
process.env.CHROME_BIN = process.env.CHROME_BIN || '/usr/bin/chromium';

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [
      require('karma-jasmine'),
      require('karma-chrome-launcher'),
      require('karma-jasmine-html-reporter'),
      require('karma-coverage'),
    ],
    client: { jasmine: { random: true }, clearContext: false },
    jasmineHtmlReporter: { suppressAll: true },
    coverageReporter: {
      dir: require('path').join(__dirname, './coverage/dpop-lab'),
      subdir: '.',
      reporters: [{ type: 'html' }, { type: 'text-summary' }],
    },
    reporters: ['progress'],
    customLaunchers: {
      // As root (CI) Chromium needs --no-sandbox; the rest keeps it off this machine's closed network.
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: require('./chromium-args.json'),
      },
    },
    browsers: ['ChromeHeadlessCI'],
    browserNoActivityTimeout: 120000,
    restartOnFileChange: true,
  });
};
