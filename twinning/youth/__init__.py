"""Young people in one place (issue 8 §1): the young person, their guardian, consent per
program and scope, the neutral age screen, and their privacy (export, erasure, retention).
The showcase, the Youth Leadership Summit and the exchange sit above it and use it."""
