#!/usr/bin/env node
import { Command } from 'commander';
import { exitWhenFlushed, runProgram } from './main.js';
import { VERSION } from './meta.js';
import { definePlanCommand } from './plan-options.js';

/** `zdd-plan`: the same command as `zdd plan`, as its own bin. */
const program = definePlanCommand(new Command('zdd-plan').version(VERSION, '-V, --version'));
await runProgram(program, process.argv);
await exitWhenFlushed();
