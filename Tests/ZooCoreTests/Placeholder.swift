// Tests to be written with the module.
