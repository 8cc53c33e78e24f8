/**
 * Running an accomplishment's logic script for one trophy, safely (formats.md section 3).
 *
 * <p>Entry point: {@link org.accomplishments.validator.validation.script.LogicScriptRunner#run}, configured by
 * {@link org.accomplishments.validator.validation.script.ScriptSettings}, given a
 * {@link org.accomplishments.validator.validation.script.ScriptInvocation}, answering a
 * {@link org.accomplishments.validator.validation.script.ScriptRun} whose
 * {@link org.accomplishments.validator.validation.script.ScriptOutcome} says how the script ended and whose
 * {@link org.accomplishments.validator.validation.script.ScriptAnswer} says what that means for the trophy.
 * {@link org.accomplishments.validator.validation.script.PythonStandIn} puts the Python {@code accomplishments}
 * stand-in on disk at startup; its result is {@code ScriptSettings.pythonPath}.
 *
 * <p>Plain Java, no Micronaut: the service wires it with a factory. Linux only ({@code /usr/bin/setsid},
 * {@code /bin/kill}, {@code /proc}).
 */
package org.accomplishments.validator.validation.script;
