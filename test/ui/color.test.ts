import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { colorlessStream, withoutColor } from '../../src/ui/format.js';

describe('NO_COLOR', () => {
  it('removes colour and style sequences, keeps the text and cursor movements', () => {
    expect(withoutColor('\u001b[32m✔\u001b[39m \u001b[1mProject\u001b[22m\u001b[2K')).toBe('✔ Project\u001b[2K');
  });

  it('a colourless stream forwards writes without colours and keeps the stream’s other members', () => {
    const written: string[] = [];
    class Out extends EventEmitter {
      columns = 80;
      write(s: string) {
        written.push(s);
        return true;
      }
    }
    const out = new Out();
    const plain = colorlessStream(out as unknown as NodeJS.WriteStream);
    expect(plain.write('\u001b[31m✖ failed\u001b[39m')).toBe(true);
    expect(written).toEqual(['✖ failed']);
    expect((plain as unknown as Out).columns).toBe(80);
    let resized = false;
    plain.on('resize', () => (resized = true));
    out.emit('resize');
    expect(resized).toBe(true);
  });
});
