// govgraph's console: GraphiQL (embedded in the binary at build time) wired to
// /graphql, with the query and variables mirrored into the address so a link
// reproduces them, and the server's example operations as a sidebar plugin.
'use strict';
(function () {
  const e = React.createElement;
  const params = new URLSearchParams(window.location.search);
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });

  // Mirror the editors into the address without adding history entries.
  function remember(key, value) {
    const next = new URLSearchParams(window.location.search);
    if (value && value.trim()) next.set(key, value); else next.delete(key);
    const search = next.toString();
    window.history.replaceState(null, '', search ? `?${search}` : window.location.pathname);
  }

  function ListIcon() {
    return e('svg', { viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
      e('path', { d: 'M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01' }));
  }

  const DEFAULT_QUERY = [
    '# Welcome to govgraph. Run this with Ctrl+Enter (or the pink button);',
    '# Ctrl+Space completes names; the book icon opens the schema\'s documentation;',
    '# the list icon opens example questions.',
    '#',
    '# Who implements, or acts under, the Migration Code, and on what evidence?',
    '{',
    '  implementations(instrument: "law:migration-code") {',
    '    agency { id name }',
    '    type',
    '    evidence { section quote }',
    '  }',
    '}',
    '',
  ].join('\n');

  let examples = [];
  function ExamplesContent() {
    const editors = GraphiQL.React.useEditorContext({ nonNull: true });
    function open(example) {
      const variables = example.variables ? JSON.stringify(example.variables, null, 2) : '';
      if (editors.queryEditor) editors.queryEditor.setValue(example.query);
      if (editors.variableEditor) editors.variableEditor.setValue(variables);
      // GraphiQL learns the operation name from the editor only after a short
      // delay; without this, running at once would send the previous name.
      const named = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/m.exec(example.query);
      if (editors.setOperationName) editors.setOperationName(named ? named[1] : null);
    }
    return e('div', null,
      e('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
      e('p', null, 'Operations that answer real questions on the default data. Click one, then run it (Ctrl+Enter).'),
      e('ul', { className: 'gg-examples' }, examples.map((example) =>
        e('li', { key: example.title },
          e('button', { type: 'button', onClick: () => open(example), 'data-example': example.title },
            example.title,
            e('small', null, example.query.split('\n')[0]))))));
  }
  const examplesPlugin = { title: 'Examples', icon: ListIcon, content: ExamplesContent };

  function render() {
    const props = {
      fetcher,
      plugins: [examplesPlugin],
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      shouldPersistHeaders: false,
      onEditQuery: (value) => remember('query', value),
      onEditVariables: (value) => remember('variables', value),
      defaultQuery: DEFAULT_QUERY,
    };
    if (params.has('query')) props.query = params.get('query');
    if (params.has('variables')) props.variables = params.get('variables');
    const root = document.getElementById('graphiql');
    root.textContent = '';
    ReactDOM.createRoot(root).render(e(GraphiQL, props));
  }

  fetch('/console/examples.json')
    .then((response) => response.json())
    .then((list) => { examples = list; })
    .catch(() => { examples = []; })
    .then(render);
})();
