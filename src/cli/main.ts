console.log('baton: not yet');
