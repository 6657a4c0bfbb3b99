import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

const PLUGINS = [remarkGfm];

/** A lab's Markdown: GitHub-flavoured, so a step's table of the learner's numbers renders as a table. */
export function LabMarkdown({ children }: { children: string }) {
  return <Markdown remarkPlugins={PLUGINS}>{children}</Markdown>;
}
