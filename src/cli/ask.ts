import { createInterface } from 'node:readline';
import { UsageError } from './usage-error.js';

export interface Question {
  default?: string;
  choices?: readonly string[];
  required?: boolean;
  /** A pasted command may run over several lines ending in `\` or `^`; read them all. */
  multiline?: boolean;
}

export interface Asker {
  ask(prompt: string, question?: Question): Promise<string>;
  close(): void;
}

/**
 * Questions on stderr, answers from stdin, one line each. Lines are read through one iterator, so
 * answers piped in ahead of their questions wait for them instead of being lost.
 */
export function createAsker(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Asker {
  const lines = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | undefined> => {
    const next = await iterator.next();
    return next.done ? undefined : (next.value as string);
  };

  return {
    async ask(prompt, question = {}) {
      const hints = [
        question.choices ? question.choices.join('/') : '',
        question.default !== undefined && question.default !== '' ? `default ${question.default}` : '',
      ].filter(Boolean);
      for (;;) {
        output.write(`${prompt}${hints.length ? ` (${hints.join(', ')})` : ''}: `);
        let answer = await nextLine();
        // The input ended: a question with a default takes it, one that needs an answer cannot go on.
        if (answer === undefined) {
          if (question.required) throw new UsageError(`no answer to "${prompt}": the input ended`);
          output.write('\n');
          return question.default ?? '';
        }
        while (question.multiline && /[\\^`][ \t]*$/.test(answer)) {
          const more = await nextLine();
          if (more === undefined) break;
          answer += `\n${more}`;
        }
        answer = answer.trim() || question.default || '';
        if (question.required && answer === '') {
          output.write('  an answer is needed\n');
          continue;
        }
        if (question.choices && answer !== '' && !question.choices.includes(answer)) {
          output.write(`  choose one of ${question.choices.join(', ')}\n`);
          continue;
        }
        return answer;
      }
    },
    close() {
      lines.close();
    },
  };
}
