import { describe, expect, it } from 'vitest';
import { ParticleState, toCSV, toVTK, toXYZ } from '../src/index.js';

const input = {
  position: [
    [1, 2, 3],
    [0.1, -0.2, 1e-7],
    [-4, 5.5, 6.25],
  ],
  velocity: [
    [4, 5, 6],
    [7, 8, 9],
    [-1, 0, 0.3],
  ],
  mass: [1, 2.5, 0.125],
  radius: [0, 0.25, 1],
};
const plain = () => ParticleState.from(input);
const withAttributes = () => ParticleState.from({ ...input, attributes: { q: [1, -1, 0.5], sigma: [0.1, 2, 3] } });

// Written by the exporters before attributes existed; a state without attributes must still give these bytes.
const CSV_BEFORE =
  'step,time,id,x,y,z,vx,vy,vz,mass,radius\n0,0,0,1,2,3,4,5,6,1,0\n0,0,1,0.10000000149011612,-0.20000000298023224,1.0000000116860974e-7,7,8,9,2.5,0.25\n0,0,2,-4,5.5,6.25,-1,0,0.30000001192092896,0.125,1\n';
const XYZ_BEFORE =
  '3\nProperties=species:S:1:pos:R:3:velo:R:3:mass:R:1:radius:R:1 step=0 Time=0\nP 1 2 3 4 5 6 1 0\nP 0.10000000149011612 -0.20000000298023224 1.0000000116860974e-7 7 8 9 2.5 0.25\nP -4 5.5 6.25 -1 0 0.30000001192092896 0.125 1\n';
const VTK_BEFORE =
  '# vtk DataFile Version 3.0\nBrokenRecord step 0 time 0\nASCII\nDATASET POLYDATA\nPOINTS 3 float\n1.0 2.0 3.0\n0.10000000149011612 -0.20000000298023224 1.0000000116860974e-7\n-4.0 5.5 6.25\nVERTICES 3 6\n1 0\n1 1\n1 2\nPOINT_DATA 3\nVECTORS velocity float\n4.0 5.0 6.0\n7.0 8.0 9.0\n-1.0 0.0 0.30000001192092896\nSCALARS mass float 1\nLOOKUP_TABLE default\n1.0\n2.5\n0.125\nSCALARS radius float 1\nLOOKUP_TABLE default\n0.0\n0.25\n1.0\n';

describe('exports with attributes', () => {
  it('a state without attributes exports byte for byte as before', () => {
    expect(toCSV(plain())).toBe(CSV_BEFORE);
    expect(toXYZ(plain())).toBe(XYZ_BEFORE);
    expect(toVTK(plain())).toBe(VTK_BEFORE);
  });

  it('CSV: one column per attribute after radius, headed by its name', () => {
    const csv = toCSV(withAttributes(), { step: 3, time: 0.03 });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('step,time,id,x,y,z,vx,vy,vz,mass,radius,q,sigma');
    expect(lines[1]).toBe('3,0.03,0,1,2,3,4,5,6,1,0,1,0.10000000149011612');
    expect(lines[2].split(',').slice(-2)).toEqual(['-1', '2']);
    expect(lines[3].split(',').slice(-2)).toEqual(['0.5', '3']);
    for (const line of lines) expect(line.split(',')).toHaveLength(13);
    // Appended frames carry the same columns.
    const more = toCSV(withAttributes(), { step: 4 }, false).trim().split('\n');
    expect(more).toHaveLength(3);
    expect(more[0]).toBe('4,0,0,1,2,3,4,5,6,1,0,1,0.10000000149011612');
  });

  it('XYZ: attributes are further R:1 properties, values appended to each line', () => {
    const s = withAttributes();
    s.addAttribute('w', 7);
    const lines = toXYZ(s, { step: 5, time: 0.5 }).trim().split('\n');
    expect(lines[0]).toBe('3');
    expect(lines[1]).toBe('Properties=species:S:1:pos:R:3:velo:R:3:mass:R:1:radius:R:1:q:R:1:sigma:R:1:w:R:1 step=5 Time=0.5');
    expect(lines[2]).toBe('P 1 2 3 4 5 6 1 0 1 0.10000000149011612 7');
    expect(lines[4]).toBe('P -4 5.5 6.25 -1 0 0.30000001192092896 0.125 1 0.5 3 7');
    // The Properties header describes exactly as many columns as each line has.
    const described = lines[1].split(' ')[0].slice('Properties='.length).split(':');
    let columns = 0;
    for (let k = 0; k < described.length; k += 3) columns += Number(described[k + 2]);
    for (const line of lines.slice(2)) expect(line.split(' ')).toHaveLength(columns);
  });

  it('VTK: each attribute is POINT_DATA SCALARS <name> float', () => {
    const vtk = toVTK(withAttributes());
    expect(vtk.startsWith(VTK_BEFORE)).toBe(true); // attributes only add point data after radius
    expect(vtk.slice(VTK_BEFORE.length)).toBe(
      'SCALARS q float 1\nLOOKUP_TABLE default\n1.0\n-1.0\n0.5\n' +
        'SCALARS sigma float 1\nLOOKUP_TABLE default\n0.10000000149011612\n2.0\n3.0\n',
    );
    expect(vtk.match(/^POINT_DATA /gm)).toHaveLength(1);
  });

  it('exports follow remove() and an empty state with attributes', () => {
    const s = withAttributes();
    s.remove([0]);
    expect(toCSV(s).trim().split('\n')[1]).toBe('0,0,0,0.10000000149011612,-0.20000000298023224,1.0000000116860974e-7,7,8,9,2.5,0.25,-1,2');
    const empty = ParticleState.create(0, { attributes: ['q'] });
    expect(toCSV(empty)).toBe('step,time,id,x,y,z,vx,vy,vz,mass,radius,q\n');
    expect(toVTK(empty)).toContain('SCALARS q float 1\nLOOKUP_TABLE default\n');
  });
});
